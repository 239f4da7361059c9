// Key Vault that holds the PortSIP password. Access is by Azure RBAC only (no access policies); the
// Function App reads the secret through a Key Vault reference with its user-assigned identity.

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the resources.')
param tags object

@description('Turn on purge protection. Once on it can never be turned off, and a deleted vault stays for the full retention period.')
param enablePurgeProtection bool

@description('Name of the secret that holds the PortSIP password.')
param passwordSecretName string

@secure()
@description('The PortSIP password. Stored only as a Key Vault secret.')
param portSipPassword string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM accepts only true or an absent value: once on, purge protection cannot be switched off.
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource passwordSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: passwordSecretName
  properties: {
    value: portSipPassword
    contentType: 'text/plain'
    attributes: {
      enabled: true
    }
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
@description('Versionless URI of the secret, for a Key Vault reference (the app picks up a new version within a day, or on restart).')
output credentialUri string = passwordSecret.properties.secretUri
