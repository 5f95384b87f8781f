// Azure Monitor Logs destination of the compliance runs: two custom tables in the workspace, a
// data collection endpoint, a data collection rule whose streams feed those tables, and the
// compliance workbook over them. The table and stream schema comes from azureMonitorTables.json,
// the file the tests check the rows and the workbook's queries against.
@description('Prefix of every resource name.')
param name string

param location string = resourceGroup().location

@description('Name of the Log Analytics workspace that receives the tables.')
param workspaceName string

@description('Days the compliance rows are kept (interactive retention).')
param retentionInDays int = 365

var tables = loadJsonContent('azureMonitorTables.json')
// Table columns spell date-times "dateTime"; stream declarations spell them "datetime".
var findingsTableColumns = map(tables.findings.columns, c => { name: c.name, type: c.type == 'datetime' ? 'dateTime' : c.type })
var runsTableColumns = map(tables.runs.columns, c => { name: c.name, type: c.type == 'datetime' ? 'dateTime' : c.type })

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource findingsTable 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: tables.findings.table
  properties: {
    plan: 'Analytics'
    retentionInDays: retentionInDays
    schema: { name: tables.findings.table, description: tables.findings.description, columns: findingsTableColumns }
  }
}

resource runsTable 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: tables.runs.table
  properties: {
    plan: 'Analytics'
    retentionInDays: retentionInDays
    schema: { name: tables.runs.table, description: tables.runs.description, columns: runsTableColumns }
  }
}

resource endpoint 'Microsoft.Insights/dataCollectionEndpoints@2023-03-11' = {
  name: '${name}-dce'
  location: location
  properties: { networkAcls: { publicNetworkAccess: 'Enabled' } }
}

resource rule 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: '${name}-dcr'
  location: location
  properties: {
    dataCollectionEndpointId: endpoint.id
    streamDeclarations: {
      '${tables.findings.stream}': { columns: tables.findings.columns }
      '${tables.runs.stream}': { columns: tables.runs.columns }
    }
    destinations: {
      logAnalytics: [ { name: 'complianceWorkspace', workspaceResourceId: workspace.id } ]
    }
    dataFlows: [
      {
        streams: [ tables.findings.stream ]
        destinations: [ 'complianceWorkspace' ]
        transformKql: 'source'
        outputStream: tables.findings.stream
      }
      {
        streams: [ tables.runs.stream ]
        destinations: [ 'complianceWorkspace' ]
        transformKql: 'source'
        outputStream: tables.runs.stream
      }
    ]
  }
  dependsOn: [ findingsTable, runsTable ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, name, 'compliance-workbook')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'Kubernetes data-security compliance'
    category: 'workbook'
    sourceId: workspace.id
    serializedData: loadTextContent('complianceWorkbook.workbook')
  }
}

output ruleName string = rule.name
output ingestionEndpoint string = endpoint.properties.logsIngestion.endpoint
output ruleImmutableId string = rule.properties.immutableId
output findingsStream string = tables.findings.stream
output runsStream string = tables.runs.stream
