// https://registry.terraform.io/providers/maestro/maestro/latest/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface MaestroProviderConfig {
  /**
  * PEM file of the certificate the engine API presents. Defaults to MAESTRO_CA_CERT_FILE.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs#ca_cert_file MaestroProvider#ca_cert_file}
  */
  readonly caCertFile?: string;
  /**
  * Engine API address as host:port. Defaults to MAESTRO_ENDPOINT.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs#endpoint MaestroProvider#endpoint}
  */
  readonly endpoint?: string;
  /**
  * Engine API token. Defaults to MAESTRO_TOKEN, or the contents of MAESTRO_TOKEN_FILE.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs#token MaestroProvider#token}
  */
  readonly token?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs#alias MaestroProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs maestro}
*/
export class MaestroProvider extends cdktn.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "maestro";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a MaestroProvider resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the MaestroProvider to import
  * @param importFromId The id of the existing MaestroProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the MaestroProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "maestro", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs maestro} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options MaestroProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: MaestroProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'maestro',
      terraformGeneratorMetadata: {
        providerName: 'maestro'
      },
      terraformProviderSource: 'registry.terraform.io/maestro/maestro'
    });
    this._caCertFile = config.caCertFile;
    this._endpoint = config.endpoint;
    this._token = config.token;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // ca_cert_file - computed: false, optional: true, required: false
  private _caCertFile?: string; 
  public get caCertFile() {
    return this._caCertFile;
  }
  public set caCertFile(value: string | undefined) {
    this._caCertFile = value;
  }
  public resetCaCertFile() {
    this._caCertFile = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get caCertFileInput() {
    return this._caCertFile;
  }

  // endpoint - computed: false, optional: true, required: false
  private _endpoint?: string; 
  public get endpoint() {
    return this._endpoint;
  }
  public set endpoint(value: string | undefined) {
    this._endpoint = value;
  }
  public resetEndpoint() {
    this._endpoint = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get endpointInput() {
    return this._endpoint;
  }

  // token - computed: false, optional: true, required: false
  private _token?: string; 
  public get token() {
    return this._token;
  }
  public set token(value: string | undefined) {
    this._token = value;
  }
  public resetToken() {
    this._token = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tokenInput() {
    return this._token;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public override get alias() {
    return this._alias;
  }
  public override set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      ca_cert_file: cdktn.stringToTerraform(this._caCertFile),
      endpoint: cdktn.stringToTerraform(this._endpoint),
      token: cdktn.stringToTerraform(this._token),
      alias: cdktn.stringToTerraform(this._alias),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      ca_cert_file: {
        value: cdktn.stringToHclTerraform(this._caCertFile),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      endpoint: {
        value: cdktn.stringToHclTerraform(this._endpoint),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      token: {
        value: cdktn.stringToHclTerraform(this._token),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktn.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
