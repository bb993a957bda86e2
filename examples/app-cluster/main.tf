# An app team's whole environment in one module block: the app-cluster module
# creates a tenancy named "web" and three server instances in it. (HCL allows a
# single-line block only with one argument, so it takes one argument a line.)
# The provider reads MAESTRO_ENDPOINT, MAESTRO_TOKEN_FILE and MAESTRO_CA_CERT_FILE
# (the demo exports them from the engine's data directory).

terraform {
  required_providers {
    maestro = {
      source  = "maestro/maestro"
      version = "0.1.0"
    }
  }
}

provider "maestro" {}

module "web" {
  source = "../modules/app-cluster"
  name   = "web"
  size   = 3
}

output "addresses" {
  value = module.web.addresses
}

output "instances" {
  value = module.web.instances
}

output "tenancy" {
  value = module.web.tenancy
}
