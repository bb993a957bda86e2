// https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface ServerInstanceConfig extends cdktn.TerraformMetaArguments {
  /**
  * Host name set in the installed OS: an RFC 1123 name of at most 64 characters. Default: the server id (known at plan when `server_id` is set). Changed in place.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#hostname ServerInstance#hostname}
  */
  readonly hostname?: string;
  /**
  * Name of the OS image under `images:` in the engine's inventory, installed through the BMC's virtual media. Changing it replaces (reinstalls) the instance.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#image ServerInstance#image}
  */
  readonly image: string;
  /**
  * Intended power state, `on` or `off`. Default `on`. Changed in place through the BMC; a server powered on or off outside terraform shows as a change that the next apply repairs.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#power_state ServerInstance#power_state}
  */
  readonly powerState?: string;
  /**
  * Server profile (hardware class) from the engine's inventory, e.g. `lab`; the engine allocates an available server of it. Changing it replaces the instance.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#profile ServerInstance#profile}
  */
  readonly profile: string;
  /**
  * Whether deleting the instance securely erases every drive before the server returns to the pool. Default true. Without erase the server goes to `maintenance` ("released without secure erase") instead of `available`. Changed in place (recorded only).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#secure_erase_on_delete ServerInstance#secure_erase_on_delete}
  */
  readonly secureEraseOnDelete?: boolean | cdktn.IResolvable;
  /**
  * Id of the server in inventory. Set it to pin a particular server (it must be available and of the profile); unset, the engine chooses one. Setting a different server replaces the instance.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#server_id ServerInstance#server_id}
  */
  readonly serverId?: string;
  /**
  * OpenSSH public keys authorized to log in to the installed OS, one `<type> <base64 key> [comment]` line each (types ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 and their sk- variants; no options, no newline). Changed in place.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#ssh_authorized_keys ServerInstance#ssh_authorized_keys}
  */
  readonly sshAuthorizedKeys?: string[];
  /**
  * Id of the tenancy the instance is attached to (`maestro_tenancy.<name>.id`). Changed in place: the switch ports move to the new tenancy's VLAN and the server gets an address in its subnet.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#tenancy_id ServerInstance#tenancy_id}
  */
  readonly tenancyId: string;
  /**
  * Shell script run once after the first boot; its output goes to the engine's job log. At most 65536 bytes, no NUL characters. Changing it replaces the instance (it only ever runs at first boot).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#user_data ServerInstance#user_data}
  */
  readonly userData?: string;
  /**
  * timeouts block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#timeouts ServerInstance#timeouts}
  */
  readonly timeouts?: ServerInstanceTimeouts;
}
export interface ServerInstanceTimeouts {
  /**
  * How long the create may take before it is stopped (default 30m), as a duration such as "30s" or "10m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#create ServerInstance#create}
  */
  readonly create?: string;
  /**
  * How long the delete may take before it is stopped (default 30m), as a duration such as "30s" or "10m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#delete ServerInstance#delete}
  */
  readonly delete?: string;
  /**
  * How long the update may take before it is stopped (default 30m), as a duration such as "30s" or "10m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#update ServerInstance#update}
  */
  readonly update?: string;
}

export function serverInstanceTimeoutsToTerraform(struct?: ServerInstanceTimeouts | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  return {
    create: cdktn.stringToTerraform(struct!.create),
    delete: cdktn.stringToTerraform(struct!.delete),
    update: cdktn.stringToTerraform(struct!.update),
  }
}


export function serverInstanceTimeoutsToHclTerraform(struct?: ServerInstanceTimeouts | cdktn.IResolvable): any {
  if (!cdktn.canInspect(struct) || cdktn.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktn.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdktn.io/docs/concepts/resources#references");
  }
  const attrs = {
    create: {
      value: cdktn.stringToHclTerraform(struct!.create),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    delete: {
      value: cdktn.stringToHclTerraform(struct!.delete),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    update: {
      value: cdktn.stringToHclTerraform(struct!.update),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class ServerInstanceTimeoutsOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): ServerInstanceTimeouts | cdktn.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._create !== undefined) {
      hasAnyValues = true;
      internalValueResult.create = this._create;
    }
    if (this._delete !== undefined) {
      hasAnyValues = true;
      internalValueResult.delete = this._delete;
    }
    if (this._update !== undefined) {
      hasAnyValues = true;
      internalValueResult.update = this._update;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: ServerInstanceTimeouts | cdktn.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._create = undefined;
      this._delete = undefined;
      this._update = undefined;
    }
    else if (cdktn.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._create = value.create;
      this._delete = value.delete;
      this._update = value.update;
    }
  }

  // create - computed: false, optional: true, required: false
  private _create?: string; 
  public get create() {
    return this.getStringAttribute('create');
  }
  public set create(value: string) {
    this._create = value;
  }
  public resetCreate() {
    this._create = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get createInput() {
    return this._create;
  }

  // delete - computed: false, optional: true, required: false
  private _delete?: string; 
  public get delete() {
    return this.getStringAttribute('delete');
  }
  public set delete(value: string) {
    this._delete = value;
  }
  public resetDelete() {
    this._delete = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get deleteInput() {
    return this._delete;
  }

  // update - computed: false, optional: true, required: false
  private _update?: string; 
  public get update() {
    return this.getStringAttribute('update');
  }
  public set update(value: string) {
    this._update = value;
  }
  public resetUpdate() {
    this._update = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get updateInput() {
    return this._update;
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance maestro_server_instance}
*/
export class ServerInstance extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "maestro_server_instance";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a ServerInstance resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the ServerInstance to import
  * @param importFromId The id of the existing ServerInstance that should be imported. Refer to the {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the ServerInstance to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "maestro_server_instance", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/server_instance maestro_server_instance} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ServerInstanceConfig
  */
  public constructor(scope: Construct, id: string, config: ServerInstanceConfig) {
    super(scope, id, {
      terraformResourceType: 'maestro_server_instance',
      terraformGeneratorMetadata: {
        providerName: 'maestro'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._hostname = config.hostname;
    this._image = config.image;
    this._powerState = config.powerState;
    this._profile = config.profile;
    this._secureEraseOnDelete = config.secureEraseOnDelete;
    this._serverId = config.serverId;
    this._sshAuthorizedKeys = config.sshAuthorizedKeys;
    this._tenancyId = config.tenancyId;
    this._userData = config.userData;
    this._timeouts.internalValue = config.timeouts;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // bmc_endpoint - computed: true, optional: false, required: false
  public get bmcEndpoint() {
    return this.getStringAttribute('bmc_endpoint');
  }

  // hostname - computed: true, optional: true, required: false
  private _hostname?: string; 
  public get hostname() {
    return this.getStringAttribute('hostname');
  }
  public set hostname(value: string) {
    this._hostname = value;
  }
  public resetHostname() {
    this._hostname = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get hostnameInput() {
    return this._hostname;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // image - computed: false, optional: false, required: true
  private _image?: string; 
  public get image() {
    return this.getStringAttribute('image');
  }
  public set image(value: string) {
    this._image = value;
  }
  // Temporarily expose input value. Use with caution.
  public get imageInput() {
    return this._image;
  }

  // ip_address - computed: true, optional: false, required: false
  public get ipAddress() {
    return this.getStringAttribute('ip_address');
  }

  // mac_addresses - computed: true, optional: false, required: false
  public get macAddresses() {
    return this.getListAttribute('mac_addresses');
  }

  // power_state - computed: true, optional: true, required: false
  private _powerState?: string; 
  public get powerState() {
    return this.getStringAttribute('power_state');
  }
  public set powerState(value: string) {
    this._powerState = value;
  }
  public resetPowerState() {
    this._powerState = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get powerStateInput() {
    return this._powerState;
  }

  // profile - computed: false, optional: false, required: true
  private _profile?: string; 
  public get profile() {
    return this.getStringAttribute('profile');
  }
  public set profile(value: string) {
    this._profile = value;
  }
  // Temporarily expose input value. Use with caution.
  public get profileInput() {
    return this._profile;
  }

  // secure_erase_on_delete - computed: true, optional: true, required: false
  private _secureEraseOnDelete?: boolean | cdktn.IResolvable; 
  public get secureEraseOnDelete() {
    return this.getBooleanAttribute('secure_erase_on_delete');
  }
  public set secureEraseOnDelete(value: boolean | cdktn.IResolvable) {
    this._secureEraseOnDelete = value;
  }
  public resetSecureEraseOnDelete() {
    this._secureEraseOnDelete = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secureEraseOnDeleteInput() {
    return this._secureEraseOnDelete;
  }

  // server_id - computed: true, optional: true, required: false
  private _serverId?: string; 
  public get serverId() {
    return this.getStringAttribute('server_id');
  }
  public set serverId(value: string) {
    this._serverId = value;
  }
  public resetServerId() {
    this._serverId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get serverIdInput() {
    return this._serverId;
  }

  // ssh_authorized_keys - computed: false, optional: true, required: false
  private _sshAuthorizedKeys?: string[]; 
  public get sshAuthorizedKeys() {
    return this.getListAttribute('ssh_authorized_keys');
  }
  public set sshAuthorizedKeys(value: string[]) {
    this._sshAuthorizedKeys = value;
  }
  public resetSshAuthorizedKeys() {
    this._sshAuthorizedKeys = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get sshAuthorizedKeysInput() {
    return this._sshAuthorizedKeys;
  }

  // state - computed: true, optional: false, required: false
  public get state() {
    return this.getStringAttribute('state');
  }

  // switch_ports - computed: true, optional: false, required: false
  public get switchPorts() {
    return this.getListAttribute('switch_ports');
  }

  // tenancy_id - computed: false, optional: false, required: true
  private _tenancyId?: string; 
  public get tenancyId() {
    return this.getStringAttribute('tenancy_id');
  }
  public set tenancyId(value: string) {
    this._tenancyId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get tenancyIdInput() {
    return this._tenancyId;
  }

  // user_data - computed: false, optional: true, required: false
  private _userData?: string; 
  public get userData() {
    return this.getStringAttribute('user_data');
  }
  public set userData(value: string) {
    this._userData = value;
  }
  public resetUserData() {
    this._userData = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get userDataInput() {
    return this._userData;
  }

  // timeouts - computed: false, optional: true, required: false
  private _timeouts = new ServerInstanceTimeoutsOutputReference(this, "timeouts");
  public get timeouts() {
    return this._timeouts;
  }
  public putTimeouts(value: ServerInstanceTimeouts) {
    this._timeouts.internalValue = value;
  }
  public resetTimeouts() {
    this._timeouts.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutsInput() {
    return this._timeouts.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected override synthesizeAttributes(): { [name: string]: any } {
    return {
      hostname: cdktn.stringToTerraform(this._hostname),
      image: cdktn.stringToTerraform(this._image),
      power_state: cdktn.stringToTerraform(this._powerState),
      profile: cdktn.stringToTerraform(this._profile),
      secure_erase_on_delete: cdktn.booleanToTerraform(this._secureEraseOnDelete),
      server_id: cdktn.stringToTerraform(this._serverId),
      ssh_authorized_keys: cdktn.listMapper(cdktn.stringToTerraform, false)(this._sshAuthorizedKeys),
      tenancy_id: cdktn.stringToTerraform(this._tenancyId),
      user_data: cdktn.stringToTerraform(this._userData),
      timeouts: serverInstanceTimeoutsToTerraform(this._timeouts.internalValue),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      hostname: {
        value: cdktn.stringToHclTerraform(this._hostname),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      image: {
        value: cdktn.stringToHclTerraform(this._image),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      power_state: {
        value: cdktn.stringToHclTerraform(this._powerState),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      profile: {
        value: cdktn.stringToHclTerraform(this._profile),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      secure_erase_on_delete: {
        value: cdktn.booleanToHclTerraform(this._secureEraseOnDelete),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      server_id: {
        value: cdktn.stringToHclTerraform(this._serverId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      ssh_authorized_keys: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._sshAuthorizedKeys),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      tenancy_id: {
        value: cdktn.stringToHclTerraform(this._tenancyId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      user_data: {
        value: cdktn.stringToHclTerraform(this._userData),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      timeouts: {
        value: serverInstanceTimeoutsToHclTerraform(this._timeouts.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "ServerInstanceTimeouts",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
