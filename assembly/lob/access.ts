// Typed access to the i32 state/config blocks and the f64 parameter block (not re-exported).
// @ts-ignore: decorator
@inline export function sget(st: usize, slot: i32): i32 {
  return load<i32>(st + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline export function sset(st: usize, slot: i32, v: i32): void {
  store<i32>(st + (<usize>slot << 2), v);
}
// @ts-ignore: decorator
@inline export function fget(p: usize, slot: i32): f64 {
  return load<f64>(p + (<usize>slot << 3));
}
