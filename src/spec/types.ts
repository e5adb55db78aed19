/** The spec as written, after the schema has accepted it. */

export type RawAddress = string | { address: string; peer?: string };

/** A route: a destination alone, or with a gateway and attributes. */
export type RawRoute =
  | string
  | {
      to: string;
      via?: string;
      onLink?: boolean;
      metric?: number;
      table?: number;
      scope?: 'global' | 'link' | 'host';
      source?: string;
    };

export interface RawEnd {
  host: string;
  name?: string;
  /** Which of the host's underlay addresses this end uses. */
  underlay?: string;
  addresses?: RawAddress[];
  routes?: RawRoute[];
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
  routes?: RawRoute[];
  mtu?: number;
  /** Mode options. */
  [option: string]: unknown;
}

export interface RawHost {
  /** One outer address, or several (IPv4 and IPv6) for tunnels of different outer families. */
  underlay: string | string[];
  description?: string;
}

export interface RawSpec {
  $schema?: string;
  version?: 1;
  plugins?: string[];
  hosts?: Record<string, RawHost>;
  tunnels: RawTunnel[];
}
