;; A hostile WAVS component's core module: it imports one function of
;; wasi:sockets/tcp@0.2.0 (is-listening on a socket handle), so its world
;; (wit/) imports that interface and the node must refuse it at upload.
(module
  (import "wasi:sockets/tcp@0.2.0" "[method]tcp-socket.is-listening" (func $listening (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    (i32.const 1024))
  (func (export "run") (param i32) (result i32)
    (drop (call $listening (i32.const 1)))
    unreachable))
