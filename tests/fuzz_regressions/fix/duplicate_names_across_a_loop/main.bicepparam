using 'main.bicep'
param paths = false
param enabled = [for (x, i) in true.enabled: [for (x, i) in false: list]]
