variable "name" {
  description = "Environment prefix of every resource name: clinic-dev, clinic-prod."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC range, a /16; must match k8s/overlays/<env>/common/network.yaml."
  type        = string
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the VPC (dev) instead of one per zone (prod)."
  type        = bool
  default     = false
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "eks_public_access_cidrs" {
  description = "Ranges that may reach the EKS API publicly (operators, CI); empty for private only."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "EKS managed node group instance types."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_min_size" {
  description = "Fewest EKS nodes."
  type        = number
  default     = 3
}

variable "node_max_size" {
  description = "Most EKS nodes."
  type        = number
  default     = 6
}

variable "msk_broker_instance_type" {
  description = "MSK broker instance type."
  type        = string
  default     = "kafka.m7g.large"
}

variable "db_instance_class" {
  description = "RDS instance class of the service databases."
  type        = string
  default     = "db.m7g.large"
}

variable "vault_db_instance_class" {
  description = "RDS instance class of the PII vault."
  type        = string
  default     = "db.m7g.large"
}

variable "deletion_protection" {
  description = "Protect databases and the user pool from deletion (prod)."
  type        = bool
  default     = true
}

variable "kubernetes_namespace" {
  description = "Namespace of the services (k8s overlay), trusted by the IRSA roles."
  type        = string
}

variable "kafka_group_prefix" {
  description = "KAFKA_GROUP_PREFIX of the environment; IAM allows consumer groups starting with it."
  type        = string
  default     = ""
}

variable "topics_file" {
  description = "terraform/topics.json, generated from the services' topic manifest."
  type        = string
}

variable "secret_prefix" {
  description = "Prefix of the Secrets Manager entries (k8s/base/external-secrets.yaml reads clinic/...)."
  type        = string
  default     = "clinic"
}

variable "ses_sender_domain" {
  description = "Domain SES sends notification email from (verify its DKIM records after apply)."
  type        = string
}

variable "sms_replies_endpoint" {
  description = "The gateway's public https://<host>/webhooks/sns, where SNS posts patients' SMS replies (null: none)."
  type        = string
  default     = null
}

variable "ecr_repository" {
  description = "ECR repository of the one service image."
  type        = string
  default     = "clinic"
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps logs."
  type        = number
  default     = 90
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows deploy here."
  type        = string
}

variable "github_environment" {
  description = "GitHub environment name of the deploy job (dev, prod)."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (only one per account: false in the second environment of a shared account)."
  type        = bool
  default     = true
}
