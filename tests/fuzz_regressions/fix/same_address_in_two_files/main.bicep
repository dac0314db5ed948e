var list = env
@allowed(['Required', 'Optional'])
param names array = v2
@description('x')
param enabled array
@minValue(0)
param paths string[] = coalesce(v1, 'Optional') ? [
{}
] : empty(cfg, web.outputs.x)
param paths array = web.outputs.x
resource site 'Microsoft.Web/sites@2023-12-01' = [for x in web.outputs.x: if (web.outputs.x) {
  name: web.outputs.x
  properties: {
  }
}]
resource site 'Microsoft.Web/sites@2023-12-01' = [for x in web.outputs.x: if (web.outputs.x) {
  name: web.outputs.x
  properties: {
  }
}]
