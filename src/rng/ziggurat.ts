/**
 * 256-layer ziggurat tables (Marsaglia–Tsang, numpy's layout), computed once here and read by both
 * engines: the WASM kernels get a copy in linear memory, the TS twins read these arrays directly.
 * Thresholds `ki`/`ke` are exact integers (< 2^53) so they compare identically as f64 and as u64.
 */

export interface ZigguratTables {
  readonly ki: Float64Array;
  readonly wi: Float64Array;
  readonly fi: Float64Array;
  readonly ke: Float64Array;
  readonly we: Float64Array;
  readonly fe: Float64Array;
}

export const NORMAL_R = 3.6541528853610088;
export const NORMAL_INV_R = 0.27366123732975828;
const NORMAL_V = 0.00492867323399;
export const EXP_R = 7.69711747013104972;
const EXP_V = 3.949659822581572e-3;

function normalTables(): Pick<ZigguratTables, 'ki' | 'wi' | 'fi'> {
  const m = 2 ** 52;
  const ki = new Float64Array(256);
  const wi = new Float64Array(256);
  const fi = new Float64Array(256);
  let dn = NORMAL_R;
  let tn = dn;
  const q = NORMAL_V / Math.exp(-0.5 * dn * dn);
  ki[0] = Math.floor((dn / q) * m);
  ki[1] = 0;
  wi[0] = q / m;
  wi[255] = dn / m;
  fi[0] = 1;
  fi[255] = Math.exp(-0.5 * dn * dn);
  for (let i = 254; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(NORMAL_V / dn + Math.exp(-0.5 * dn * dn)));
    ki[i + 1] = Math.floor((dn / tn) * m);
    tn = dn;
    fi[i] = Math.exp(-0.5 * dn * dn);
    wi[i] = dn / m;
  }
  return { ki, wi, fi };
}

function exponentialTables(): Pick<ZigguratTables, 'ke' | 'we' | 'fe'> {
  const m = 2 ** 53;
  const ke = new Float64Array(256);
  const we = new Float64Array(256);
  const fe = new Float64Array(256);
  let de = EXP_R;
  let te = de;
  const q = EXP_V / Math.exp(-de);
  ke[0] = Math.floor((de / q) * m);
  ke[1] = 0;
  we[0] = q / m;
  we[255] = de / m;
  fe[0] = 1;
  fe[255] = Math.exp(-de);
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(EXP_V / de + Math.exp(-de));
    ke[i + 1] = Math.floor((de / te) * m);
    te = de;
    fe[i] = Math.exp(-de);
    we[i] = de / m;
  }
  return { ke, we, fe };
}

let cached: ZigguratTables | undefined;

/** The process-wide tables (built on first use). */
export function zigguratTables(): ZigguratTables {
  cached ??= { ...normalTables(), ...exponentialTables() };
  return cached;
}
