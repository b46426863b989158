output "cluster_name" {
  description = "EKS cluster: aws eks update-kubeconfig --name <this>."
  value       = module.eks.cluster_name
}

output "ecr_repository_url" {
  description = "Where CD pushes the image (kustomize images newName)."
  value       = aws_ecr_repository.clinic.repository_url
}

output "msk_bootstrap_brokers_iam" {
  description = "KAFKA_BROKERS for k8s/overlays/<env>/config.yaml."
  value       = module.msk.bootstrap_brokers_iam
}

output "topics" {
  description = "Topics from topics.json; the services create them at start with replication factor 3."
  value       = module.msk.topics
}

output "services_db_address" {
  description = "Host of the service databases (doctors, appointments, patients, audit)."
  value       = module.services_db.address
}

output "vault_db_address" {
  description = "Host of the PII vault database."
  value       = module.vault_db.address
}

output "db_master_secret_arns" {
  description = "Secrets Manager entries with each instance's master password (kept by RDS)."
  value       = { services = module.services_db.master_user_secret_arn, vault = module.vault_db.master_user_secret_arn }
}

output "public_subnets_cidr" {
  description = "k8s overlay common/network.yaml publicSubnets."
  value       = module.network.public_subnets_cidr
}

output "data_subnets_cidr" {
  description = "k8s overlay common/network.yaml dataSubnets."
  value       = module.network.data_subnets_cidr
}

output "vault_subnets_cidr" {
  description = "k8s overlay common/network.yaml vaultSubnets."
  value       = module.network.vault_subnets_cidr
}

output "service_role_arns" {
  description = "IRSA role of each service account (eks.amazonaws.com/role-arn in the overlays)."
  value       = { for name, role in aws_iam_role.service : name => role.arn }
}

output "vault_kms_key_arn" {
  description = "The PII vault master key."
  value       = aws_kms_key.vault.arn
}

output "cognito_user_pool_id" {
  description = "User pool with one group per role."
  value       = aws_cognito_user_pool.this.id
}

output "cognito_jwks_url" {
  description = "JWKS of the user pool, for verifying tokens."
  value       = "https://cognito-idp.${local.region}.amazonaws.com/${aws_cognito_user_pool.this.id}/.well-known/jwks.json"
}

output "cognito_app_client_id" {
  description = "App client of the API."
  value       = aws_cognito_user_pool_client.api.id
}

output "sns_notifications_topic_arn" {
  description = "SNS topic for notifications."
  value       = aws_sns_topic.notifications.arn
}

output "github_deploy_role_arn" {
  description = "Role the CD workflow assumes (GitHub environment secret AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.github_deploy.arn
}

output "secret_names" {
  description = "Secrets Manager entries to fill in (docs/deployment.md, step 4)."
  value       = [for secret in aws_secretsmanager_secret.app : secret.name]
}

output "sms_replies_topic_arn" {
  description = "SNS_REPLIES_TOPIC_ARN for k8s/overlays/<env>/config.yaml, and the two-way channel of the SMS origination number."
  value       = aws_sns_topic.sms_replies.arn
}
