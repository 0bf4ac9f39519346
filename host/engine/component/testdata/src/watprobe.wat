;; The probe world (probe.wit) in hand-written core wasm: small enough to
;; commit, and like a cargo-component build it calls WASI preview 1
;; (random_get, fd_write), so wit-component adds the preview1 adapter, the
;; shim and the fixup module.
(module
  (import "$root" "host-log" (func $log (param i32 i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 4096))
  (data (i32.const 300) "empty job")
  (func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and
      (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (global.set $bump (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.lt_s (memory.grow (i32.add (i32.shr_u (local.get $size) (i32.const 16)) (i32.const 1))) (i32.const 0))
        (then unreachable))))
    (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))
  (func (export "run") (param $id i32) (param $dp i32) (param $dl i32) (param $tp i32) (param $tl i32) (result i32)
    (local $out i32)
    (call $log (local.get $dp) (local.get $dl))
    (drop (call $random (i32.const 512) (i32.const 8)))
    (if (i32.eqz (local.get $dl))
      (then
        (i32.store8 (i32.const 256) (i32.const 1))
        (i32.store (i32.const 260) (i32.const 300))
        (i32.store (i32.const 264) (i32.const 9))
        (return (i32.const 256))))
    (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (i32.add (local.get $dl) (i32.const 1))))
    (memory.copy (local.get $out) (local.get $dp) (local.get $dl))
    (i32.store8 (i32.add (local.get $out) (local.get $dl)) (local.get $id))
    (i32.store8 (i32.const 256) (i32.const 0))
    (i32.store (i32.const 260) (local.get $out))
    (i32.store (i32.const 264) (i32.add (local.get $dl) (i32.const 1)))
    (i32.const 256))
)
