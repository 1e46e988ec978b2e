// RUN: dlc-opt %s -p gpu-to-nvvm --split-input-file --verify-diagnostics

// A gpu index op in host code has no thread to run on.

func.func @host(%x: memref<4xf32>) {
  // expected-error @+1 {{gpu-to-nvvm: 'gpu.thread_id' outside a gpu.func kernel}}
  %t = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
  func.return
}

// -----

// NVPTX has no libm; functions without a polynomial are reported.

builtin.module {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<4xf32>) -> (), kernel}> ({
    ^bb0(%x: memref<4xf32>):
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<4xf32>
      // expected-error @+1 {{math.atan: no NVPTX lowering; the GPU target has no libm}}
      %a = math.atan %v : f32
      memref.store %a, %x[%i] : memref<4xf32>
      "gpu.return"() : () -> ()
    }) {sym_name = "k"} : () -> ()
  }) : () -> ()
}

// -----

builtin.module {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<4xf64>) -> (), kernel}> ({
    ^bb0(%x: memref<4xf64>):
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<4xf64>
      // expected-error @+1 {{math.exp: no NVPTX lowering for f64; the GPU target has no libm and dlc implements this function for f32 and f16 only}}
      %e = math.exp %v : f64
      memref.store %e, %x[%i] : memref<4xf64>
      "gpu.return"() : () -> ()
    }) {sym_name = "k"} : () -> ()
  }) : () -> ()
}

// -----

// A kernel cannot allocate global memory: the host passes every device buffer.

builtin.module {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<4xf32>) -> (), kernel}> ({
    ^bb0(%x: memref<4xf32>):
      // expected-error @+1 {{gpu-to-nvvm: memref.alloc of memref<4xf32> in global memory inside kernel @k}}
      %t = memref.alloc() : memref<4xf32>
      "gpu.return"() : () -> ()
    }) {sym_name = "k"} : () -> ()
  }) : () -> ()
}

// -----

// An op no pattern converts is named at its location.

builtin.module {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<4xf32>) -> (), kernel}> ({
    ^bb0(%x: memref<4xf32>):
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %c1 = arith.constant 1 : index
      // expected-error @+1 {{gpu-to-nvvm: failed to lower 'scf.for'; no pattern converts it}}
      scf.for %i = %c0 to %c4 step %c1 {
        %v = memref.load %x[%i] : memref<4xf32>
        memref.store %v, %x[%i] : memref<4xf32>
      }
      "gpu.return"() : () -> ()
    }) {sym_name = "k"} : () -> ()
  }) : () -> ()
}
