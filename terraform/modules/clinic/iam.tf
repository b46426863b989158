# IAM roles for the service accounts (IRSA): each pod's AWS permissions, least privilege. MSK for the
# gateway and every subgraph (IAM authentication, its own consumer groups, the manifest's topics); KMS (vault key) and SES
# and SNS for patients; Secrets Manager for External Secrets.
locals {
  oidc = module.eks.oidc_issuer
  service_accounts = {
    for name in concat(local.services, ["migrate", "external-secrets"]) : name => "clinic-${name}"
  }
  # The gateway reads events for live updates (SSE subscriptions).
  kafka_clients = ["gateway", "doctors", "appointments", "patients", "audit"]
}

data "aws_iam_policy_document" "irsa" {
  for_each = local.service_accounts
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc}:sub"
      values   = ["system:serviceaccount:${var.kubernetes_namespace}:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "service" {
  for_each           = local.service_accounts
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.irsa[each.key].json
}

data "aws_iam_policy_document" "kafka" {
  statement {
    sid       = "Connect"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [module.msk.cluster_arn]
  }
  statement {
    sid = "ManifestTopics"
    actions = [
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:CreateTopic",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
    ]
    resources = values(module.msk.topic_arns)
  }
  statement {
    sid       = "ConsumerGroups"
    actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = ["${module.msk.group_arn_prefix}${var.kafka_group_prefix}*"]
  }
  statement {
    sid       = "IdempotentProducer"
    actions   = ["kafka-cluster:WriteDataIdempotently"]
    resources = [module.msk.cluster_arn]
  }
}

resource "aws_iam_role_policy" "kafka" {
  for_each = toset(local.kafka_clients)
  name     = "msk"
  role     = aws_iam_role.service[each.value].id
  policy   = data.aws_iam_policy_document.kafka.json
}

data "aws_iam_policy_document" "patients" {
  statement {
    sid       = "VaultKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.vault.arn]
  }
  statement {
    sid       = "Email"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = [aws_sesv2_email_identity.sender.arn]
  }
  statement {
    sid       = "Sms"
    actions   = ["sns:Publish"]
    resources = ["*"] # SMS to a phone number has no resource ARN
  }
  statement {
    sid       = "NotificationTopic"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }
  statement {
    sid       = "NotificationTopicKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role_policy" "patients" {
  name   = "vault-and-notifications"
  role   = aws_iam_role.service["patients"].id
  policy = data.aws_iam_policy_document.patients.json
}

data "aws_iam_policy_document" "external_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for secret in aws_secretsmanager_secret.app : secret.arn]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role_policy" "external_secrets" {
  name   = "read-clinic-secrets"
  role   = aws_iam_role.service["external-secrets"].id
  policy = data.aws_iam_policy_document.external_secrets.json
}

# --- GitHub Actions: OIDC, no stored AWS keys ----------------------------------------------------------------

resource "aws_iam_openid_connect_provider" "github" {
  count           = var.create_github_oidc_provider ? 1 : 0
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "github_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type = "Federated"
      identifiers = [var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : (
        "arn:aws:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com"
      )]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    # Only this repository's deploy jobs for this environment (GitHub environment name).
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:${var.github_environment}"]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  name               = "${var.name}-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.github_assume.json
}

data "aws_iam_policy_document" "github_deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage", "ecr:DescribeImages",
    ]
    resources = [aws_ecr_repository.clinic.arn]
  }
  statement {
    sid       = "EcrKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
  statement {
    sid       = "Kubeconfig"
    actions   = ["eks:DescribeCluster"]
    resources = ["arn:aws:eks:${local.region}:${local.account_id}:cluster/${module.eks.cluster_name}"]
  }
}

resource "aws_iam_role_policy" "github_deploy" {
  name   = "push-and-deploy"
  role   = aws_iam_role.github_deploy.id
  policy = data.aws_iam_policy_document.github_deploy.json
}

# The deploy role may change the clinic namespace only (EKS access entry, namespaced edit policy).
resource "aws_eks_access_entry" "github_deploy" {
  cluster_name  = module.eks.cluster_name
  principal_arn = aws_iam_role.github_deploy.arn
}

resource "aws_eks_access_policy_association" "github_deploy" {
  cluster_name  = module.eks.cluster_name
  principal_arn = aws_iam_role.github_deploy.arn
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
  access_scope {
    type       = "namespace"
    namespaces = [var.kubernetes_namespace]
  }
}
