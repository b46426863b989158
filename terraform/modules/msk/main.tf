# Amazon MSK: three brokers in the data subnets, TLS between clients and brokers and between brokers,
# IAM (SASL) authentication only, storage encrypted with the environment's KMS key.
resource "aws_security_group" "msk" {
  name        = "${var.name}-msk"
  description = "MSK brokers: TLS+IAM port from the EKS cluster only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "msk_iam" {
  security_group_id            = aws_security_group.msk.id
  referenced_security_group_id = var.client_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  description                  = "Kafka over TLS with IAM authentication"
}

resource "aws_cloudwatch_log_group" "broker" {
  name              = "/clinic/${var.name}/msk"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_msk_configuration" "this" {
  name           = "${var.name}-config"
  kafka_versions = [var.kafka_version]
  # Topics come from the manifest (topics.json); nothing else may create one by accident.
  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.msk.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_gb
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  client_authentication {
    unauthenticated = false
    sasl {
      iam = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.kms_key_arn
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.broker.name
      }
    }
  }
}

locals {
  # The same manifest the services use (libs/contracts/src/events/topics.ts), exported by
  # `npm run topics` to terraform/topics.json; a test fails when the file is stale.
  topics = jsondecode(file(var.topics_file)).topics
  # arn:aws:kafka:<region>:<account>:topic/<cluster name>/<cluster uuid>/<topic>
  topic_arn_prefix = replace("${aws_msk_cluster.this.arn}/", ":cluster/", ":topic/")
  group_arn_prefix = replace("${aws_msk_cluster.this.arn}/", ":cluster/", ":group/")
}
