// RUN: dlc-translate --target=ptx --gpu-arch=sm_90 %s | filecheck %s
// RUN: dlc-translate --target=ptx %s | filecheck %s --check-prefix=SM80

// dlc-translate lowers the kernels with gpu-to-nvvm and writes PTX: each kernel an
// .entry, buffers accessed through global loads and stores, the tile a .shared
// array, gpu.barrier a bar.sync. The default architecture is sm_80.

builtin.module attributes {gpu.container_module} {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<64x16xf32>, memref<64x16xf32>) -> (), kernel}> ({
    ^bb0(%a: memref<64x16xf32>, %b: memref<64x16xf32>):
      %tx = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %ty = "gpu.thread_id"() <{dimension = #gpu<dim y>}> : () -> index
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %tile = memref.alloc() : memref<16x16xf32, #gpu.address_space<workgroup>>
      %v = memref.load %a[%ty, %tx] : memref<64x16xf32>
      memref.store %v, %tile[%ty, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
      "gpu.barrier"() : () -> ()
      %zero = arith.constant 0.0 : f32
      %sum = loop.for %k = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
        %w = memref.load %tile[%k, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
        %n = arith.addf %acc, %w : f32
        loop.yield %n : f32
      }
      %e = math.exp %sum : f32
      memref.store %e, %b[%ty, %tx] : memref<64x16xf32>
      "gpu.return"() : () -> ()
    }) {sym_name = "column_sum"} : () -> ()
  }) : () -> ()
}

// CHECK:       .version 7.8
// CHECK-NEXT:  .target sm_90
// CHECK-NEXT:  .address_size 64
// CHECK:       .visible .entry column_sum(
// CHECK-NEXT:    .param .u64 .ptr .global .align 1 column_sum_param_0,
// CHECK-NEXT:    .param .u64 .ptr .global .align 1 column_sum_param_1
// CHECK:         .shared .align 16 .b8 __shared_column_sum_0[1024];
// CHECK-NOT:     call
// CHECK:         mov.u32 {{.*}}%tid.x;
// CHECK:         ld.global.{{[a-z0-9]+}}
// CHECK:         st.shared.{{[a-z0-9]+}}
// CHECK:         bar.sync 0;
// CHECK:         ld.shared.{{[a-z0-9]+}}
// CHECK:         fma.rn.f32
// CHECK:         st.global.{{[a-z0-9]+}}
// CHECK-NOT:     call
// CHECK:         ret;

// SM80:        .version 7.0
// SM80-NEXT:   .target sm_80
// SM80:        .visible .entry column_sum(
