// The compliance-reporting Function App: Linux, Node.js 22, Flex Consumption, with its storage
// account (queues, history tables, reports), Application Insights, and a system-assigned managed
// identity that is the only credential it uses. Deploy at resource-group scope:
//   az deployment group create -g <rg> -f infra/main.bicep -p name=<prefix>
// then grant the identity "Reader" on the scanned scope (see README, "Deploying").

@description('Prefix of every resource name (3-11 lower-case letters and digits).')
@minLength(3)
@maxLength(11)
param name string

param location string = resourceGroup().location

@description('NCRONTAB schedule of the scan, with seconds, in UTC.')
param scanSchedule string = '0 0 2 * * *'

@description('Subscriptions to scan (comma-separated); empty scans every subscription the identity can read.')
param scanSubscriptions string = ''

@description('Management groups to scan (comma-separated), instead of subscriptions.')
param scanManagementGroups string = ''

@description('Days a run is kept.')
param retentionDays int = 400

@description('Client ID of the Entra ID app registration for App Service Authentication (defines the Compliance.Reader, Compliance.Admin and Compliance.Approver app roles of appRoles.json). Required: the API is never deployed without authentication.')
@minLength(36)
@maxLength(36)
param authClientId string

@description('Send every finalized run to Azure Monitor Logs (tables, data collection endpoint and rule, workbook).')
param azureMonitorLogs bool = false

var storageName = toLower('${name}${uniqueString(resourceGroup().id)}')
var deploymentContainer = 'app-package'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(storageName, 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: workspace.id, DisableLocalAuth: true }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-compliance'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        { name: 'STORAGE_ACCOUNT_NAME', value: storage.name }
        { name: 'SCAN_SCHEDULE', value: scanSchedule }
        { name: 'SCAN_SUBSCRIPTIONS', value: scanSubscriptions }
        { name: 'SCAN_MANAGEMENT_GROUPS', value: scanManagementGroups }
        { name: 'SCAN_BATCH_QUEUE', value: 'scan-batches' }
        { name: 'REPORTS_CONTAINER', value: 'compliance-reports' }
        { name: 'RETENTION_DAYS', value: string(retentionDays) }
        { name: 'LIVE_SCAN_DEADLINE_SECONDS', value: '540' }
        // V8's old space at a quarter of the instance's 2,048 MB, as V8 sizes it for a machine of
        // that size; set explicitly so garbage is collected at the same point on every host.
        { name: 'languageWorkers__node__arguments', value: '--max-old-space-size=512' }
        // The app serves its API only behind App Service Authentication (below); it also checks
        // that the platform reports authentication on (WEBSITE_AUTH_ENABLED) before each request.
        { name: 'API_AUTHENTICATION', value: 'AppServiceAuthentication' }
        { name: 'MONITOR_INGESTION_ENDPOINT', value: azureMonitorLogs ? monitorLogs.outputs.ingestionEndpoint : '' }
        { name: 'MONITOR_DCR_IMMUTABLE_ID', value: azureMonitorLogs ? monitorLogs.outputs.ruleImmutableId : '' }
      ]
    }
  }
}

// App Service Authentication in front of the API, always: unauthenticated calls get 401 from the
// platform; the platform passes the caller to the app in x-ms-client-principal (app roles as
// "roles" claims) and no caller can set that header itself.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: { allowedAudiences: [ 'api://${authClientId}' ] }
      }
    }
  }
}

// Data-plane roles of the app's identity on its own storage account.
var storageRoles = [
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner (host leases)
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, functionApp.id, role)
    scope: storage
    properties: {
      principalId: functionApp.identity.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource insightsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, functionApp.id, 'monitoring-metrics-publisher')
  scope: insights
  properties: {
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
  }
}

// Azure Monitor Logs (optional): tables, endpoint, rule and workbook; the app may publish to the rule.
module monitorLogs 'azureMonitorLogs.bicep' = if (azureMonitorLogs) {
  name: 'azure-monitor-logs'
  params: { name: name, location: location, workspaceName: workspace.name }
}

module monitorPublisher 'azureMonitorPublisher.bicep' = if (azureMonitorLogs) {
  name: 'azure-monitor-publisher'
  params: { ruleName: monitorLogs.outputs.ruleName, principalId: functionApp.identity.principalId }
}

@description('The app roles the authClientId app registration must define (az ad app update --id <authClientId> --app-roles @infra/appRoles.json).')
output requiredAppRoles array = loadJsonContent('appRoles.json')
output functionAppName string = functionApp.name
output principalId string = functionApp.identity.principalId
output storageAccountName string = storage.name
