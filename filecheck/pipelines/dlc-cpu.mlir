// RUN: dlc-opt %s --pass-pipeline='builtin.module(dlc-cpu)' | filecheck %s
// RUN: dlc-opt %s --pass-pipeline='builtin.module(dlc-cpu)' | filecheck %s --check-prefix=LEFTOVER

// The dlc-cpu pipeline takes nn all the way to the llvm dialect: the function takes
// bare pointers (inputs, then the caller's result buffer), temporaries live in one
// arena from aligned_alloc that goes back to free, each loop nest is a call of an
// internal kernel function (loop-outline-kernels), every address is an inbounds
// GEP, and max is an LLVM intrinsic (scalar or vector, by the host's vector width;
// exp on vectors is a polynomial, see llvm_patterns/vector_math.py).

// CHECK:       llvm.func @free(!llvm.ptr)
// CHECK:       llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func @classify(%x: !llvm.ptr, %w: !llvm.ptr, %b: !llvm.ptr, %out0: !llvm.ptr) {
// CHECK:         %arena = llvm.call @aligned_alloc
// CHECK:         llvm.call @classify_kernel_0(%x, %w, %b, {{.*}})
// CHECK:         llvm.call @classify_kernel_1({{.*}}, %out0)
// CHECK:         llvm.call @free
// CHECK:         llvm.return
// CHECK-LABEL: llvm.func internal @classify_kernel_0(%x_1: !llvm.ptr,
// CHECK-DAG:     llvm.getelementptr inbounds %x_1[{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-DAG:     llvm.call_intrinsic "llvm.maximum.{{(v[0-9]+)?}}f32"
// CHECK:         llvm.return
// CHECK-LABEL: llvm.func internal @classify_kernel_1(
// CHECK-DAG:     llvm.fmul
// CHECK-DAG:     llvm.fdiv
// CHECK:         llvm.getelementptr inbounds %out0_1
// CHECK:         llvm.return
func.func @classify(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %h = nn.dense %x, %w, %b : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = nn.relu %h : tensor<2x4xf32>
  %p = nn.softmax %r : tensor<2x4xf32>
  func.return %p : tensor<2x4xf32>
}

// Nothing above the llvm level survives.
// LEFTOVER-NOT: {{nn\.|tensor\.|loop\.|memref\.|arith\.|math\.|func\.|cf\.|ptrtoint|inttoptr}}
