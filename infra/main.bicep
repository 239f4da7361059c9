// PortSIP Call Archive for Azure: everything `azd up` provisions.
// One resource group with a Flex Consumption Function App (isolated .NET 10), its user-assigned
// identity, a storage account (tables, queue, recordings), Key Vault (the PortSIP password), Log
// Analytics and Application Insights, and the role assignments that tie them together.
targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the azd environment. The resource group is rg-<environmentName>; resource names derive from it.')
param environmentName string

@minLength(1)
@description('Azure region for all resources. It must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user or service principal (azd sets AZURE_PRINCIPAL_ID). Empty: no roles for the deployer.')
param principalId string = deployer().objectId

@description('Type of the deploying principal: ServicePrincipal when a pipeline deploys.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Give the deploying principal blob, queue and table data roles on the storage account, to inspect the archive.')
param grantDeployerDataRoles bool = true

// ---------------------------------------------------------------------------------------------
// PortSIP source
// ---------------------------------------------------------------------------------------------

@minLength(1)
@description('Short name of this PortSIP source; stored on every archived row.')
param portSipSourceName string = 'main'

@minLength(1)
@description('Base URL of the PortSIP PBX REST API, e.g. https://pbx.example.com:8887.')
param portSipBaseUrl string

@minLength(1)
@description('PortSIP user the archive signs in as.')
param portSipUsername string

@secure()
@minLength(1)
@description('Password of that PortSIP user. Stored only in Key Vault.')
param portSipPassword string

@description('PortSIP tenant domain; empty for a system administrator.')
param portSipTenantDomain string = ''

@description('How to sign in to PortSIP: Auto tries the JSON sign-in then the OAuth token endpoint.')
@allowed([
  'Auto'
  'SignIn'
  'OAuth'
])
param portSipLoginStyle string = 'Auto'

@description('HTTP method for PortSIP list calls.')
@allowed([
  'Get'
  'Post'
])
param portSipListMethod string = 'Get'

@description('Items per PortSIP list request (PortSIP allows at most 100).')
@minValue(1)
@maxValue(100)
param portSipPageSize int = 100

// ---------------------------------------------------------------------------------------------
// Sync and recordings
// ---------------------------------------------------------------------------------------------

@minLength(1)
@description('NCRONTAB schedule of the sync (six fields, UTC).')
param syncSchedule string = '0 */5 * * * *'

@description('Where the first sync starts, in days back from now.')
@minValue(1)
param syncStartDaysBack int = 180

@description('Minutes each sync re-reads before the watermark, for CDRs that appear late.')
@minValue(0)
param syncOverlapMinutes int = 30

@description('Time budget of one sync run in seconds.')
@minValue(10)
param syncMaxRunSeconds int = 240

@description('PortSIP request budget of one sync run.')
@minValue(1)
param syncMaxRequests int = 2000

@description('Delete a recording from the PBX after it has been archived and verified.')
param deleteFromPbxAfterArchive bool = false

@minLength(3)
@maxLength(63)
@description('Queue of recordings waiting to be archived.')
param recordingsQueueName string = 'recordings'

@minLength(1)
@description('Prefix of the archive tables.')
param tablePrefix string = 'portsip'

@minLength(3)
@maxLength(63)
@description('Blob container for archived recordings.')
param recordingsContainerName string = 'recordings'

// ---------------------------------------------------------------------------------------------
// Hosting, storage and retention
// ---------------------------------------------------------------------------------------------

@description('Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances Flex Consumption may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Storage replication. ZRS variants do not support the Archive tier.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Days that deleted blobs, versions and containers stay recoverable.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 14

@description('Recordings move to the Cool tier after this many days.')
@minValue(0)
param coolAfterDays int = 30

@description('Recordings move to the Cold (or Archive) tier after this many days.')
@minValue(1)
param coldAfterDays int = 180

@description('Tier after coldAfterDays: Cold (online) or Archive (offline, must be rehydrated before download).')
@allowed([
  'Cold'
  'Archive'
])
param coldTier string = 'Cold'

@description('Delete recordings this many years after archiving. 0 keeps them forever.')
@minValue(0)
param deleteAfterYears int = 0

@description('Key Vault purge protection. Once on it cannot be turned off; a deleted vault then stays for 90 days.')
param keyVaultPurgeProtection bool = true

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var serviceName = 'api'
var functionAppName = '${abbrs.webSitesFunctions}portsip-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var portSipPasswordSecretName = 'portsip-password'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}portsip-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: deploymentContainerName
    recordingsContainerName: recordingsContainerName
    recordingsQueueName: recordingsQueueName
    softDeleteRetentionDays: blobSoftDeleteDays
    coolAfterDays: coolAfterDays
    coldAfterDays: coldAfterDays
    coldTier: coldTier
    deleteAfterYears: deleteAfterYears
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module keyVault 'core/security/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    passwordSecretName: portSipPasswordSecretName
    portSipPassword: portSipPassword
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    grantDeployerDataRoles: grantDeployerDataRoles
  }
}

module functionApp 'core/host/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    portSipPasswordSecretUri: keyVault.outputs.credentialUri
    portSipSourceName: portSipSourceName
    portSipBaseUrl: portSipBaseUrl
    portSipUsername: portSipUsername
    portSipTenantDomain: portSipTenantDomain
    portSipLoginStyle: portSipLoginStyle
    portSipListMethod: portSipListMethod
    portSipPageSize: portSipPageSize
    syncSchedule: syncSchedule
    syncStartDaysBack: syncStartDaysBack
    syncOverlapMinutes: syncOverlapMinutes
    syncMaxRunSeconds: syncMaxRunSeconds
    syncMaxRequests: syncMaxRequests
    recordingsQueueName: recordingsQueueName
    deleteFromPbxAfterArchive: deleteFromPbxAfterArchive
    tablePrefix: tablePrefix
    recordingsContainerName: recordingsContainerName
  }
  // Start the host only once its identity can reach storage, telemetry and the vault.
  dependsOn: [
    rbac
  ]
}

// Outputs become azd environment values. None of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
