;; echo-wat: the smallest useful WAVS component's core module, written by
;; hand for the engine's per-trigger benchmark (a Go or JS component's cost
;; is its runtime's start-up). World wavs:operator/wavs-world@2.7.0 as in
;; ../wit; it imports nothing.
;;
;;   run(raw(bytes))  = ok([{payload: bytes, ordering: none, event-id-salt: none}])
;;   run(other cases) = err("echo-wat: only raw triggers")
;;
;; Canonical ABI (wasm32), every offset from the WIT's types by the spec's
;; rules; host/engine/cm_echo_test.go recomputes each one with package cabi
;; from the built component's own types and fails if any differs:
;;
;; - run's parameter, trigger-action, flattens to more than 16 core values,
;;   so the host stores it in memory (via cabi_realloc) and passes its
;;   address. record trigger-action {config: trigger-config, data:
;;   trigger-data}: align 8, size 176.
;;   - config: trigger-config {service-id: string, workflow-id: string,
;;     trigger: trigger} = 8 + 8 + 56 bytes (trigger is a variant of align
;;     8, its u64 fields), align 8: size 72, so data is at 72.
;;   - data: trigger-data is a variant of 7 cases (evm-contract-event,
;;     cosmos-contract-event, block-interval, cron, atproto-event,
;;     hypercore-append, raw): a u8 discriminant at 72; raw is case 6. The
;;     payloads' largest alignment is 8 (u64 fields), so every case's
;;     payload is at 72 + align(1, 8) = 80. raw's payload is list<u8>:
;;     ptr (u32) at 80, len (u32) at 84.
;; - run's result, result<list<wasm-response>, string>, flattens to three
;;   i32 (case, ptr, len), more than one, so run returns the address of a
;;   return area: align 4 (lists and strings are u32 pairs), size 12; u8
;;   case at 0 (0 ok, 1 err), payload at align(1, 4) = 4: the list's (or the
;;   string's) ptr at 4, len at 8.
;; - record wasm-response {payload: list<u8>, ordering: option<u64>,
;;   event-id-salt: option<list<u8>>}: align 8, size 40.
;;   - payload at 0: ptr at 0, len at 4;
;;   - ordering at 8 (option<u64>: align 8, size 16): u8 case at 8
;;     (0 none), the u64 at 16;
;;   - event-id-salt at 24 (option<list<u8>>: align 4, size 12): u8 case
;;     at 24 (0 none), ptr at 28, len at 32; 36 rounds up to 40.
;;
;; Memory: the return area at 16, the one response at 32 (8-aligned, up to
;; 72), the error text at 80, the heap from 112. The payload is the
;; trigger's own bytes where the host put them: nothing is copied. A fresh
;; instance serves each trigger; cabi_post_run still empties the heap.
(module
  (memory (export "memory") 1)
  (data (i32.const 80) "echo-wat: only raw triggers")
  (global $heap (mut i32) (i32.const 112))

  ;; A bump allocator; memory grows as needed. A shrinking realloc keeps
  ;; the block, a growing one copies it.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32) (local $end i64)
    (if (i32.and (i32.ne (local.get $old) (i32.const 0)) (i32.le_u (local.get $size) (local.get $old_size)))
      (then (return (local.get $old))))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i64.add (i64.extend_i32_u (local.get $p)) (i64.extend_i32_u (local.get $size))))
    (if (i64.gt_u (local.get $end) (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (then
        (if (i32.eq (memory.grow (i32.wrap_i64 (i64.shr_u (i64.sub (i64.add (local.get $end) (i64.const 0xffff))
                                                                   (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
                                                          (i64.const 16))))
                    (i32.const -1))
          (then unreachable))))
    (global.set $heap (i32.wrap_i64 (local.get $end)))
    (if (local.get $old)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
    (local.get $p))

  (func (export "run") (param $action i32) (result i32)
    ;; trigger-data's case byte at 72: anything but raw (6) is an error.
    (if (i32.ne (i32.load8_u offset=72 (local.get $action)) (i32.const 6))
      (then
        (i32.store8 (i32.const 16) (i32.const 1))            ;; err
        (i32.store offset=4 (i32.const 16) (i32.const 80))   ;; string ptr
        (i32.store offset=8 (i32.const 16) (i32.const 27))   ;; string len
        (return (i32.const 16))))
    ;; The response at 32: payload = raw's list (ptr at 80, len at 84).
    (i32.store offset=0 (i32.const 32) (i32.load offset=80 (local.get $action)))
    (i32.store offset=4 (i32.const 32) (i32.load offset=84 (local.get $action)))
    (i32.store8 offset=8 (i32.const 32) (i32.const 0))       ;; ordering: none
    (i32.store8 offset=24 (i32.const 32) (i32.const 0))      ;; event-id-salt: none
    (i32.store8 (i32.const 16) (i32.const 0))                ;; ok
    (i32.store offset=4 (i32.const 16) (i32.const 32))       ;; list ptr
    (i32.store offset=8 (i32.const 16) (i32.const 1))        ;; list len
    (i32.const 16))

  (func (export "cabi_post_run") (param i32)
    (global.set $heap (i32.const 112))))
