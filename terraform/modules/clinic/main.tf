# One environment of the clinic scheduling system: everything terraform/envs/<env> creates.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  services   = ["gateway", "doctors", "appointments", "patients", "audit"]
}

# --- KMS: one key for the environment's data at rest, and the vault's master key apart from it ---------

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account_id}:root"]
    }
  }
  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
  }
  # The SMS service publishes patients' replies to the encrypted sms-replies topic.
  statement {
    sid       = "TwoWaySms"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["sms-voice.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "data" {
  description             = "${var.name}: data at rest (RDS, MSK, EKS secrets, logs, Secrets Manager, SNS)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "data" {
  name          = "alias/${var.name}-data"
  target_key_id = aws_kms_key.data.key_id
}

# The PII vault's master key: only the patients service role may use it (IAM policy below).
resource "aws_kms_key" "vault" {
  description             = "${var.name}: PII vault master key (patients service only)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "vault" {
  name          = "alias/${var.name}-pii-vault"
  target_key_id = aws_kms_key.vault.key_id
}

# --- Network, cluster, Kafka, databases ------------------------------------------------------------------

module "network" {
  source             = "../network"
  name               = var.name
  cidr               = var.vpc_cidr
  single_nat_gateway = var.single_nat_gateway
  kms_key_arn        = aws_kms_key.data.arn
  log_retention_days = var.log_retention_days
}

module "eks" {
  source              = "../eks"
  name                = var.name
  kubernetes_version  = var.kubernetes_version
  private_subnet_ids  = module.network.private_subnet_ids
  public_access_cidrs = var.eks_public_access_cidrs
  node_instance_types = var.node_instance_types
  node_min_size       = var.node_min_size
  node_max_size       = var.node_max_size
  kms_key_arn         = aws_kms_key.data.arn
  log_retention_days  = var.log_retention_days
}

module "msk" {
  source                   = "../msk"
  name                     = var.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.data_subnet_ids
  client_security_group_id = module.eks.cluster_security_group_id
  broker_instance_type     = var.msk_broker_instance_type
  kms_key_arn              = aws_kms_key.data.arn
  topics_file              = var.topics_file
  log_retention_days       = var.log_retention_days
}

module "services_db" {
  source                     = "../rds"
  name                       = "${var.name}-services"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.data_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class             = var.db_instance_class
  initial_database           = "doctors"
  kms_key_arn                = aws_kms_key.data.arn
  deletion_protection        = var.deletion_protection
  log_retention_days         = var.log_retention_days
}

# The vault on an instance of its own, in its own subnets (NetworkPolicy singles them out).
module "vault_db" {
  source                     = "../rds"
  name                       = "${var.name}-vault"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.vault_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class             = var.vault_db_instance_class
  initial_database           = "pii_vault"
  kms_key_arn                = aws_kms_key.data.arn
  deletion_protection        = var.deletion_protection
  log_retention_days         = var.log_retention_days
}

# --- Secrets Manager: the entries k8s/base/external-secrets.yaml reads ------------------------------------
# Terraform creates them empty; an operator writes the values (docs/deployment.md, step 4), so no
# password ever sits in terraform state.

resource "aws_secretsmanager_secret" "app" {
  for_each = {
    "database-urls"      = "DATABASE_URL_* of doctors, appointments, patients, audit (JSON keys by database)"
    "vault-database-url" = "DATABASE_URL_PII_VAULT (JSON key pii_vault): patients and the migration only"
    "vault-index-key"    = "VAULT_INDEX_KEY, the vault's blind-index HMAC key (JSON key key): patients only"
    "internal-identity"  = "INTERNAL_IDENTITY_SECRET shared by the gateway and the subgraphs (JSON key secret)"
  }
  name                    = "${var.secret_prefix}/${each.key}"
  description             = each.value
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 7
}

# --- Identity: Cognito user pool with a group per role -----------------------------------------------------

resource "aws_cognito_user_pool" "this" {
  name                     = var.name
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = false
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }
}

resource "aws_cognito_user_group" "role" {
  for_each     = toset(["Patient", "Doctor", "ClinicAdmin", "PracticeManager", "SystemAdministrator"])
  name         = each.value
  user_pool_id = aws_cognito_user_pool.this.id
  description  = "Clinic scheduling role ${each.value}"
}

resource "aws_cognito_user_pool_client" "api" {
  name                          = "${var.name}-api"
  user_pool_id                  = aws_cognito_user_pool.this.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  access_token_validity         = 60
  id_token_validity             = 60
  refresh_token_validity        = 30
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

# --- Notifications: SES for email, SNS for SMS, both used by patients -------------------------------------

resource "aws_sesv2_email_identity" "sender" {
  email_identity = var.ses_sender_domain
}

resource "aws_sns_topic" "notifications" {
  name              = "${var.name}-notifications"
  kms_master_key_id = aws_kms_key.data.arn
}

# Two-way SMS: the origination number's two-way channel publishes patients' replies to this topic, and
# SNS posts them to the gateway's /webhooks/sns, which checks SNS's signature and the topic. The
# endpoint confirms the subscription itself.
resource "aws_sns_topic" "sms_replies" {
  name              = "${var.name}-sms-replies"
  kms_master_key_id = aws_kms_key.data.arn
}

resource "aws_sns_topic_policy" "sms_replies" {
  arn = aws_sns_topic.sms_replies.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TwoWaySmsPublishes"
      Effect    = "Allow"
      Principal = { Service = "sms-voice.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.sms_replies.arn
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

resource "aws_sns_topic_subscription" "sms_replies" {
  count                  = var.sms_replies_endpoint == null ? 0 : 1
  topic_arn              = aws_sns_topic.sms_replies.arn
  protocol               = "https"
  endpoint               = var.sms_replies_endpoint
  endpoint_auto_confirms = true
  raw_message_delivery   = false
}

# --- Images and logs -------------------------------------------------------------------------------------

resource "aws_ecr_repository" "clinic" {
  name                 = var.ecr_repository
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.data.arn
  }
}

resource "aws_ecr_lifecycle_policy" "clinic" {
  repository = aws_ecr_repository.clinic.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the last 100 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 100 }
      action       = { type = "expire" }
    }]
  })
}

# Container logs (Fluent Bit or the CloudWatch agent ships them), one group per service.
resource "aws_cloudwatch_log_group" "service" {
  for_each          = toset(concat(local.services, ["migrate"]))
  name              = "/clinic/${var.name}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}
