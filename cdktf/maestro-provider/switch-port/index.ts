// https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface SwitchPortConfig extends cdktn.TerraformMetaArguments {
  /**
  * VLAN of an access port (1..4094). Required when mode is `access`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#access_vlan SwitchPort#access_vlan}
  */
  readonly accessVlan?: number;
  /**
  * `up` or `down` (shutdown). Default `up`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#admin_state SwitchPort#admin_state}
  */
  readonly adminState?: string;
  /**
  * VLANs a trunk port carries (1..4094), besides those of `tenancy_ids`. Required when mode is `trunk` unless `tenancy_ids` is set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#allowed_vlans SwitchPort#allowed_vlans}
  */
  readonly allowedVlans?: number[];
  /**
  * Port description; no newlines or control characters, and at most the switch dialect's limit (checked at plan).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#description SwitchPort#description}
  */
  readonly description?: string;
  /**
  * `access` (one untagged VLAN) or `trunk` (tagged VLANs). Default `access`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#mode SwitchPort#mode}
  */
  readonly mode?: string;
  /**
  * Port MTU in bytes (68..9216). Default 1500.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#mtu SwitchPort#mtu}
  */
  readonly mtu?: number;
  /**
  * Untagged VLAN of a trunk port; unset means the switch default (VLAN 1).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#native_vlan SwitchPort#native_vlan}
  */
  readonly nativeVlan?: number;
  /**
  * Port name as the switch calls it, e.g. `Ethernet1` or `Ethernet49/1`. Changing it replaces the resource.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#port SwitchPort#port}
  */
  readonly port: string;
  /**
  * Id of the switch in the engine's inventory, e.g. `leaf1`. Changing it replaces the resource.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#switch SwitchPort#switch}
  */
  readonly switch: string;
  /**
  * Ids of tenancies (`maestro_tenancy.<name>.id`, `tn-` and 12 hex digits) whose VLANs this trunk port also carries, trunk mode only. The engine looks each VLAN up at plan (when the ids are known) and again at apply; the port allows `allowed_vlans` plus these VLANs. The engine refuses to delete a tenancy while an owned port still carries its VLAN.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#tenancy_ids SwitchPort#tenancy_ids}
  */
  readonly tenancyIds?: string[];
  /**
  * timeouts block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#timeouts SwitchPort#timeouts}
  */
  readonly timeouts?: SwitchPortTimeouts;
}
export interface SwitchPortTimeouts {
  /**
  * How long the create may take before it is stopped (default 5m), as a duration such as "30s" or "10m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#create SwitchPort#create}
  */
  readonly create?: string;
  /**
  * How long the delete may take before it is stopped (default 5m), as a duration such as "30s" or "10m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#delete SwitchPort#delete}
  */
  readonly delete?: string;
  /**
  * How long the update may take before it is stopped (default 5m), as a duration such as "30s" or "10m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#update SwitchPort#update}
  */
  readonly update?: string;
}

export function switchPortTimeoutsToTerraform(struct?: SwitchPortTimeouts | cdktn.IResolvable): any {
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


export function switchPortTimeoutsToHclTerraform(struct?: SwitchPortTimeouts | cdktn.IResolvable): any {
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

export class SwitchPortTimeoutsOutputReference extends cdktn.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktn.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktn.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): SwitchPortTimeouts | cdktn.IResolvable | undefined {
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

  public set internalValue(value: SwitchPortTimeouts | cdktn.IResolvable | undefined) {
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
* Represents a {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port maestro_switch_port}
*/
export class SwitchPort extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "maestro_switch_port";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a SwitchPort resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the SwitchPort to import
  * @param importFromId The id of the existing SwitchPort that should be imported. Refer to the {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the SwitchPort to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "maestro_switch_port", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/maestro/maestro/latest/docs/resources/switch_port maestro_switch_port} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options SwitchPortConfig
  */
  public constructor(scope: Construct, id: string, config: SwitchPortConfig) {
    super(scope, id, {
      terraformResourceType: 'maestro_switch_port',
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
    this._accessVlan = config.accessVlan;
    this._adminState = config.adminState;
    this._allowedVlans = config.allowedVlans;
    this._description = config.description;
    this._mode = config.mode;
    this._mtu = config.mtu;
    this._nativeVlan = config.nativeVlan;
    this._port = config.port;
    this._switch = config.switch;
    this._tenancyIds = config.tenancyIds;
    this._timeouts.internalValue = config.timeouts;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // access_vlan - computed: false, optional: true, required: false
  private _accessVlan?: number; 
  public get accessVlan() {
    return this.getNumberAttribute('access_vlan');
  }
  public set accessVlan(value: number) {
    this._accessVlan = value;
  }
  public resetAccessVlan() {
    this._accessVlan = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get accessVlanInput() {
    return this._accessVlan;
  }

  // admin_state - computed: true, optional: true, required: false
  private _adminState?: string; 
  public get adminState() {
    return this.getStringAttribute('admin_state');
  }
  public set adminState(value: string) {
    this._adminState = value;
  }
  public resetAdminState() {
    this._adminState = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get adminStateInput() {
    return this._adminState;
  }

  // allowed_vlans - computed: false, optional: true, required: false
  private _allowedVlans?: number[]; 
  public get allowedVlans() {
    return cdktn.Token.asNumberList(cdktn.Fn.tolist(this.getNumberListAttribute('allowed_vlans')));
  }
  public set allowedVlans(value: number[]) {
    this._allowedVlans = value;
  }
  public resetAllowedVlans() {
    this._allowedVlans = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowedVlansInput() {
    return this._allowedVlans;
  }

  // description - computed: true, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // mode - computed: true, optional: true, required: false
  private _mode?: string; 
  public get mode() {
    return this.getStringAttribute('mode');
  }
  public set mode(value: string) {
    this._mode = value;
  }
  public resetMode() {
    this._mode = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get modeInput() {
    return this._mode;
  }

  // mtu - computed: true, optional: true, required: false
  private _mtu?: number; 
  public get mtu() {
    return this.getNumberAttribute('mtu');
  }
  public set mtu(value: number) {
    this._mtu = value;
  }
  public resetMtu() {
    this._mtu = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get mtuInput() {
    return this._mtu;
  }

  // native_vlan - computed: false, optional: true, required: false
  private _nativeVlan?: number; 
  public get nativeVlan() {
    return this.getNumberAttribute('native_vlan');
  }
  public set nativeVlan(value: number) {
    this._nativeVlan = value;
  }
  public resetNativeVlan() {
    this._nativeVlan = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nativeVlanInput() {
    return this._nativeVlan;
  }

  // port - computed: false, optional: false, required: true
  private _port?: string; 
  public get port() {
    return this.getStringAttribute('port');
  }
  public set port(value: string) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }

  // switch - computed: false, optional: false, required: true
  private _switch?: string; 
  public get switch() {
    return this.getStringAttribute('switch');
  }
  public set switch(value: string) {
    this._switch = value;
  }
  // Temporarily expose input value. Use with caution.
  public get switchInput() {
    return this._switch;
  }

  // tenancy_ids - computed: false, optional: true, required: false
  private _tenancyIds?: string[]; 
  public get tenancyIds() {
    return cdktn.Fn.tolist(this.getListAttribute('tenancy_ids'));
  }
  public set tenancyIds(value: string[]) {
    this._tenancyIds = value;
  }
  public resetTenancyIds() {
    this._tenancyIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tenancyIdsInput() {
    return this._tenancyIds;
  }

  // timeouts - computed: false, optional: true, required: false
  private _timeouts = new SwitchPortTimeoutsOutputReference(this, "timeouts");
  public get timeouts() {
    return this._timeouts;
  }
  public putTimeouts(value: SwitchPortTimeouts) {
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
      access_vlan: cdktn.numberToTerraform(this._accessVlan),
      admin_state: cdktn.stringToTerraform(this._adminState),
      allowed_vlans: cdktn.listMapper(cdktn.numberToTerraform, false)(this._allowedVlans),
      description: cdktn.stringToTerraform(this._description),
      mode: cdktn.stringToTerraform(this._mode),
      mtu: cdktn.numberToTerraform(this._mtu),
      native_vlan: cdktn.numberToTerraform(this._nativeVlan),
      port: cdktn.stringToTerraform(this._port),
      switch: cdktn.stringToTerraform(this._switch),
      tenancy_ids: cdktn.listMapper(cdktn.stringToTerraform, false)(this._tenancyIds),
      timeouts: switchPortTimeoutsToTerraform(this._timeouts.internalValue),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      access_vlan: {
        value: cdktn.numberToHclTerraform(this._accessVlan),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      admin_state: {
        value: cdktn.stringToHclTerraform(this._adminState),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      allowed_vlans: {
        value: cdktn.listMapperHcl(cdktn.numberToHclTerraform, false)(this._allowedVlans),
        isBlock: false,
        type: "set",
        storageClassType: "numberList",
      },
      description: {
        value: cdktn.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      mode: {
        value: cdktn.stringToHclTerraform(this._mode),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      mtu: {
        value: cdktn.numberToHclTerraform(this._mtu),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      native_vlan: {
        value: cdktn.numberToHclTerraform(this._nativeVlan),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      port: {
        value: cdktn.stringToHclTerraform(this._port),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      switch: {
        value: cdktn.stringToHclTerraform(this._switch),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      tenancy_ids: {
        value: cdktn.listMapperHcl(cdktn.stringToHclTerraform, false)(this._tenancyIds),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      timeouts: {
        value: switchPortTimeoutsToHclTerraform(this._timeouts.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "SwitchPortTimeouts",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
