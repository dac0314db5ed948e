module again 'child.bicep' = [for x in web.outputs.x: if (web.outputs.x) {
  name: 'm'
  params: {
    paths: web.outputs.x
    mode: v2 != v2 != v2 != v2
    mode: web.outputs.x != web.outputs.x
  }
}]
module again 'child.bicep' = [for x in web.outputs.x: if (web.outputs.x) {
  name: 'm'
  params: {
    paths: web.outputs.x
    paths: web.outputs.x
    paths: web.outputs.x
  }
}]
resource site 'Microsoft.Web/sites@2023-12-01' = [for x in v2 != v2: if (v2 != v2) {
  name: v2 != v2
  properties: {
  }
}]
resource api 'Microsoft.Web/sites@2023-12-01' = [for x in web.outputs.x: if (web.outputs.x) {
  name: v2[cfg]
  kind: 'functionapp,workflowapp'
  properties: {
    clientCertExclusionPaths: false
  }
}]
