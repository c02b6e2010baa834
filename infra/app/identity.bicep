// The Function App's user-assigned identity: the one principal the app's code authenticates as
// (DefaultAzureCredential with AZURE_CLIENT_ID), for storage, ARM, Monitor, Batch and App Insights.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
