# The dev environment. Run from the repository root:
#   tofu -chdir=terraform/envs/dev init -backend-config=backend.hcl   (see backend.hcl.example)
#   tofu -chdir=terraform/envs/dev apply
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
    key          = "clinic/dev/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "clinic-scheduling"
      Environment = "dev"
      ManagedBy   = "opentofu"
    }
  }
}

module "clinic" {
  source                      = "../../modules/clinic"
  name                        = "clinic-dev"
  vpc_cidr                    = "10.40.0.0/16"
  single_nat_gateway          = true
  node_instance_types         = ["t3.large"]
  node_min_size               = 2
  node_max_size               = 4
  eks_public_access_cidrs     = var.eks_public_access_cidrs
  db_instance_class           = "db.t4g.medium"
  vault_db_instance_class     = "db.t4g.medium"
  msk_broker_instance_type    = "kafka.t3.small"
  deletion_protection         = false
  kubernetes_namespace        = "clinic-dev"
  kafka_group_prefix          = "dev-"
  topics_file                 = "${path.module}/../../topics.json"
  ses_sender_domain           = var.ses_sender_domain
  sms_replies_endpoint        = "https://${var.api_host}/webhooks/sns"
  github_repository           = var.github_repository
  github_environment          = "dev"
  create_github_oidc_provider = var.create_github_oidc_provider
}
