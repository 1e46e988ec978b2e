// RUN: dlc-opt %s --pass-pipeline='builtin.module(dlc-cpu)' | filecheck %s
// RUN: dlc-opt %s --pass-pipeline='builtin.module(dlc-cpu)' | filecheck %s --check-prefix=LEFTOVER

// The dlc-cpu pipeline takes nn all the way to the llvm dialect: the function takes
// bare pointers (inputs, then the caller's result buffer), temporaries come from
// aligned_alloc and go back to free, every address is an inbounds GEP, and exp and
// max are LLVM intrinsics.

// CHECK:       llvm.func @free(!llvm.ptr)
// CHECK:       llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func @classify(%x: !llvm.ptr, %w: !llvm.ptr, %b: !llvm.ptr, %out0: !llvm.ptr) {
// CHECK:         %h = llvm.call @aligned_alloc
// CHECK:         llvm.getelementptr inbounds %x[{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.fmul
// CHECK:         llvm.call_intrinsic "llvm.maximum.f32"
// CHECK:         llvm.call_intrinsic "llvm.exp.f32"
// CHECK:         llvm.fdiv
// CHECK:         llvm.getelementptr inbounds %out0
// CHECK:         llvm.call @free
// CHECK:         llvm.return
func.func @classify(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %h = nn.dense %x, %w, %b : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = nn.relu %h : tensor<2x4xf32>
  %p = nn.softmax %r : tensor<2x4xf32>
  func.return %p : tensor<2x4xf32>
}

// Nothing above the llvm level survives.
// LEFTOVER-NOT: {{nn\.|tensor\.|loop\.|memref\.|arith\.|math\.|func\.|cf\.|ptrtoint|inttoptr}}
