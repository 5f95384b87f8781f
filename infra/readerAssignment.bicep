// Grants the app's managed identity "Reader" on a management group, so Resource Graph and the
// Resource Manager reads cover every subscription below it. Deploy at management-group scope:
//   az deployment mg create -m <management-group> -l <location> -f infra/readerAssignment.bicep -p principalId=<id>
targetScope = 'managementGroup'

@description('principalId output of main.bicep.')
param principalId string

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, 'reader')
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
  }
}
