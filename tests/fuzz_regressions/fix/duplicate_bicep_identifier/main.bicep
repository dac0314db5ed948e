var list = length() ? true : false
var v1 = names[[for (x, i) in [for (x, i) in names: names]: false ? names : names]]
param names string[]
param names string[]
param names string[]
resource api 'Microsoft.Web/sites@2023-12-01' = {
  name: [for (x, i) in names: names]
  properties: {
    clientCertMode: '/health;/api'
    clientCertExclusionPaths: 'Required'
  }
}
resource api 'Microsoft.Web/sites@2023-12-01' = [for x in [for (x, i) in names: names]: if ([for (x, i) in names: names]) {
  name: [for (x, i) in names: names]
  properties: {
  }
  resource slot 'slots' = {
    name: 'staging'
    properties: {
      clientCertEnabled: [for (x, i) in [for (x, i) in [for (x, i) in names: names]: [for (x, i) in names: names]]: [for (x, i) in [for (x, i) in names: names]: [for (x, i) in names: names]]]
    }
  }
}]
