;; A hostile WAVS component's core module (Go cannot emit table.grow): run
;; grows an unbounded funcref table by 65536 elements at a time until
;; table.grow fails, then traps with unreachable. Unbounded, the host would
;; allocate 8 bytes per element until it dies; the engine bounds every
;; table. tools/wavs-component.mjs wrap assembles it with jco's parse.
(module
  (memory (export "memory") 1)
  (table 0 funcref)
  (global $heap (mut i32) (i32.const 1024))
  ;; A bump allocator for the trigger-action the host writes.
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.shr_u (local.get 3) (i32.const 16)) (i32.const 1))))))
    (local.get $p))
  (func (export "run") (param i32) (result i32)
    (loop $grow
      (br_if $grow (i32.ne (table.grow 0 (ref.null func) (i32.const 65536)) (i32.const -1))))
    unreachable))
