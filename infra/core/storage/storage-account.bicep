// The storage account that holds everything: the Functions host's own state (AzureWebJobsStorage),
// the deployment package, the CDR tables, the recordings queue and the recordings container.
// Only Microsoft Entra ID (managed identity) can reach the data: shared keys are disabled.

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Replication SKU. ZRS variants do not support the Archive tier.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param skuName string

@description('Container that Flex Consumption deploys the app package from.')
param deploymentContainerName string

@description('Container for archived recordings (Archive__RecordingsContainer).')
param recordingsContainerName string

@description('Queue of recordings waiting to be archived (RECORDINGS_QUEUE).')
param recordingsQueueName string

@description('Days that deleted blobs, blob versions and containers stay recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Recordings move to the Cool tier this many days after they were written.')
@minValue(0)
param coolAfterDays int

@description('Recordings move to the Cold or Archive tier this many days after they were written.')
@minValue(1)
param coldAfterDays int

@description('The tier recordings move to after coldAfterDays. Archive is cheapest but offline: an archived recording must be rehydrated (hours) before it can be downloaded.')
@allowed([
  'Cold'
  'Archive'
])
param coldTier string

@description('Delete recordings this many years after they were written. 0 keeps them forever.')
@minValue(0)
param deleteAfterYears int

var recordingsFilter = {
  blobTypes: [
    'blockBlob'
  ]
  prefixMatch: [
    '${recordingsContainerName}/'
  ]
}

var coldTierAction = coldTier == 'Archive'
  ? { tierToArchive: { daysAfterModificationGreaterThan: coldAfterDays } }
  : { tierToCold: { daysAfterModificationGreaterThan: coldAfterDays } }

var coldTierVersionAction = coldTier == 'Archive'
  ? { tierToArchive: { daysAfterCreationGreaterThan: coldAfterDays } }
  : { tierToCold: { daysAfterCreationGreaterThan: coldAfterDays } }

// Recordings are written once and rarely read: move them to cheaper tiers as they age.
var recordingsTieringRule = {
  name: 'recordings-tiering'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: recordingsFilter
    actions: {
      baseBlob: union({ tierToCool: { daysAfterModificationGreaterThan: coolAfterDays } }, coldTierAction)
      version: union({ tierToCool: { daysAfterCreationGreaterThan: coolAfterDays } }, coldTierVersionAction)
    }
  }
}

// Only when a retention period is set: delete recordings (and their versions and snapshots) after it.
var recordingsExpiryDays = deleteAfterYears * 365
var recordingsExpiryRule = {
  name: 'recordings-expiry'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: recordingsFilter
    actions: {
      baseBlob: { delete: { daysAfterModificationGreaterThan: recordingsExpiryDays } }
      snapshot: { delete: { daysAfterCreationGreaterThan: recordingsExpiryDays } }
      version: { delete: { daysAfterCreationGreaterThan: recordingsExpiryDays } }
    }
  }
}

// Every `azd deploy` overwrites the package blob; versioning would keep the old packages forever.
var deploymentVersionsRule = {
  name: 'deployment-package-old-versions'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${deploymentContainerName}/'
      ]
    }
    actions: {
      version: { delete: { daysAfterCreationGreaterThan: 7 } }
    }
  }
}

var lifecycleRules = deleteAfterYears > 0
  ? [recordingsTieringRule, recordingsExpiryRule, deploymentVersionsRule]
  : [recordingsTieringRule, deploymentVersionsRule]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      isVersioningEnabled: true
      deleteRetentionPolicy: {
        enabled: true
        days: softDeleteRetentionDays
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: softDeleteRetentionDays
      }
    }

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    resource recordingsContainer 'containers' = {
      name: recordingsContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource recordingsQueue 'queues' = {
      name: recordingsQueueName
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'
  }

  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: lifecycleRules
      }
    }
    dependsOn: [
      blobService
    ]
  }
}

output name string = storage.name
output resourceId string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
