// RUN: dlc-opt %s --pass-pipeline='builtin.module(cse, canonicalize)' | filecheck %s
// RUN: dlc-opt %s -p cse,canonicalize | filecheck %s
// RUN: dlc-opt %s --pass-pipeline='builtin.module(cse)' --print-ir-after-all 2>&1 >/dev/null | filecheck %s --check-prefix=DUMP
// RUN: not dlc-opt %s --pass-pipeline='func.func(cse)' 2>&1 | filecheck %s --check-prefix=BADPIPE
// RUN: not dlc-opt %s -p no-such-pass 2>&1 | filecheck %s --check-prefix=NOPASS
// RUN: dlc-opt %s -p cse --time-passes 2>&1 >/dev/null | filecheck %s --check-prefix=TIME

// The MLIR spelling and xDSL's -p spelling run the same pipeline: cse merges the two
// identical additions.
// CHECK-LABEL: func.func @twice
// CHECK-NEXT:    %0 = nn.add %a, %b
// CHECK-NEXT:    %1 = nn.add %0, %0
// CHECK-NEXT:    func.return %1
func.func @twice(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = nn.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %2 : tensor<4xf32>
}

// --print-ir-after-all dumps the IR after every pass, the last one included.
// DUMP: // -----// IR Dump After cse //----- //
// DUMP-NEXT: builtin.module {
// DUMP:   %1 = nn.add %0, %0

// BADPIPE: error: --pass-pipeline must have the form 'builtin.module(pass,...)', got 'func.func(cse)'
// BADPIPE-NOT: Traceback

// NOPASS: error: Unrecognized passes: ['no-such-pass']
// NOPASS-NOT: Traceback

// TIME: Pass execution timing report
// TIME: ms {{.*}} cse
