// Lets the app's managed identity send rows through the data collection rule:
// "Monitoring Metrics Publisher" on the rule itself, nothing wider.
@description('Name of the data collection rule (ruleName output of azureMonitorLogs.bicep).')
param ruleName string

@description('Object ID of the app identity.')
param principalId string

resource rule 'Microsoft.Insights/dataCollectionRules@2023-03-11' existing = {
  name: ruleName
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(rule.id, principalId, 'monitoring-metrics-publisher')
  scope: rule
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}
