@allowed(['Required', 'Optional'])
param names string = ![for (x, i) in v2: true]
var v2 = false[true][false[null]][env]
var v1 = json()
@minValue(0)
param paths object = settings
@allowed(['Required', 'Optional'])
param paths 'Required' | 'Optional' = paths
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
resource site 'Microsoft.Web/sites@2023-12-01' = [for (x, i) in paths: {
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
