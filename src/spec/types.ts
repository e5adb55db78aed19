/** The spec as written, after the schema has accepted it. */

export type RawAddress = string | { address: string; peer?: string };

export interface RawEnd {
  host: string;
  name?: string;
  addresses?: RawAddress[];
  routes?: string[];
}

export interface RawTunnel {
  name: string;
  mode: string;
  description?: string;
  ends?: [RawEnd, RawEnd];
  host?: string;
  local?: string;
  remote?: string;
  addresses?: RawAddress[];
  routes?: string[];
  mtu?: number;
  /** Mode options. */
  [option: string]: unknown;
}

export interface RawHost {
  underlay: string;
  description?: string;
}

export interface RawSpec {
  $schema?: string;
  version?: 1;
  plugins?: string[];
  hosts?: Record<string, RawHost>;
  tunnels: RawTunnel[];
}
