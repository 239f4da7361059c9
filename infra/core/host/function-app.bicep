// Flex Consumption (FC1) plan and the Linux Function App that runs the isolated .NET worker.
// The app runs as a user-assigned identity: storage, Application Insights, the deployment package
// and the Key Vault reference all go through it. No connection string or key is stored anywhere.

@description('Function App name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('The azd service name (azure.yaml services.<name>); azd deploy finds the app by this tag.')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for the __clientId settings).')
param identityClientId string

@description('Name of the storage account (AzureWebJobsStorage and the archive).')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances Flex Consumption scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Versionless Key Vault URI of the secret that holds the PortSIP password.')
param portSipPasswordSecretUri string

// Product settings (the app's configuration contract; see docs/deployment.md).
param portSipSourceName string
param portSipBaseUrl string
param portSipUsername string
param portSipTenantDomain string
param portSipLoginStyle string
param portSipListMethod string
param portSipPageSize int
param syncSchedule string
param syncStartDaysBack int
param syncOverlapMinutes int
param syncMaxRunSeconds int
param syncMaxRequests int
param recordingsQueueName string
param deleteFromPbxAfterArchive bool
param tablePrefix string
param recordingsContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME,
  // FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and linuxFxVersion must not be set.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      PortSip__SourceName: portSipSourceName
      PortSip__BaseUrl: portSipBaseUrl
      PortSip__Username: portSipUsername
      PortSip__Password: '@Microsoft.KeyVault(SecretUri=${portSipPasswordSecretUri})'
      PortSip__TenantDomain: portSipTenantDomain
      PortSip__LoginStyle: portSipLoginStyle
      PortSip__ListMethod: portSipListMethod
      PortSip__PageSize: string(portSipPageSize)
      SYNC_SCHEDULE: syncSchedule
      Sync__StartDaysBack: string(syncStartDaysBack)
      Sync__OverlapMinutes: string(syncOverlapMinutes)
      Sync__MaxRunSeconds: string(syncMaxRunSeconds)
      Sync__MaxRequests: string(syncMaxRequests)
      RECORDINGS_QUEUE: recordingsQueueName
      Recordings__DeleteFromPbxAfterArchive: deleteFromPbxAfterArchive ? 'true' : 'false'
      Archive__TablePrefix: tablePrefix
      Archive__RecordingsContainer: recordingsContainerName
    }
  }

  // No FTP or SCM basic-auth publishing: azd deploys with Microsoft Entra ID.
  resource ftpPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPublishing 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output resourceId string = functionApp.id
output uri string = 'https://${functionApp.properties.defaultHostName}'
