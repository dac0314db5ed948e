param paths object = paths
param paths object = paths
param paths object = paths
resource site 'Microsoft.Web/sites@2023-12-01' = [for x in paths: if (paths) {
  name: paths
  properties: {
  }
  resource slot 'slots' = {
    name: 'staging'
    properties: {
      clientCertEnabled: paths
    }
  }
}]
resource site 'Microsoft.Web/sites@2023-12-01' = [for x in paths: if (paths) {
  name: paths
  properties: {
  }
  resource slot 'slots' = {
    name: 'staging'
    properties: {
      clientCertEnabled: paths
    }
  }
}]
