# The prod environment. Run from the repository root:
#   tofu -chdir=terraform/envs/prod init -backend-config=backend.hcl   (see backend.hcl.example)
#   tofu -chdir=terraform/envs/prod apply
# docs/deployment.md walks through it from an empty AWS account.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
  # State in S3, encrypted, with S3-native locking; the bucket comes from backend.hcl.
  backend "s3" {
    key          = "clinic/prod/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "clinic-scheduling"
      Environment = "prod"
      ManagedBy   = "opentofu"
    }
  }
}

module "clinic" {
  source                      = "../../modules/clinic"
  name                        = "clinic-prod"
  vpc_cidr                    = "10.50.0.0/16"
  single_nat_gateway          = false
  node_instance_types         = ["m6i.large"]
  node_min_size               = 3
  node_max_size               = 9
  eks_public_access_cidrs     = var.eks_public_access_cidrs
  db_instance_class           = "db.m7g.large"
  vault_db_instance_class     = "db.m7g.large"
  msk_broker_instance_type    = "kafka.m7g.large"
  deletion_protection         = true
  kubernetes_namespace        = "clinic-prod"
  kafka_group_prefix          = ""
  topics_file                 = "${path.module}/../../topics.json"
  ses_sender_domain           = var.ses_sender_domain
  sms_replies_endpoint        = "https://${var.api_host}/webhooks/sns"
  github_repository           = var.github_repository
  github_environment          = "prod"
  create_github_oidc_provider = var.create_github_oidc_provider
}
