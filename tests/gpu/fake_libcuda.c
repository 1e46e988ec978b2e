/* A stand-in for libcuda.so, so that the ctypes binding and the runtime are tested
 * on machines without a GPU: the entry points dlc uses, with cuda.h's signatures,
 * over host memory.
 *
 * Device pointers are malloc'ed host pointers. A module "loads" any text that does
 * not contain "INVALID" (that one fails like bad PTX, with a JIT error log). A
 * kernel exists if its name occurs in the module's text. Launching a kernel named
 * fake_copy_<N> copies N bytes from its first parameter to its last, which reads
 * each parameter the way the driver does (kernelParams[i] points at a 64-bit
 * device pointer); every launch is appended to a log (fake_log) as
 * "name gx gy gz bx by bz shared p0 p1 ...\n". fake_live() counts live buffers.
 * Like the driver, the current context is per thread: a call that needs one fails
 * with CUDA_ERROR_INVALID_CONTEXT in a thread that has not set it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static char module_text[1 << 16];
static char launch_log[1 << 16];
static int live_buffers;
static int context_token;
static __thread void *current_context;

#define NEEDS_CONTEXT() \
  if (current_context != &context_token) return 201

const char *fake_log(void) { return launch_log; }
int fake_live(void) { return live_buffers; }

CUresult cuInit(unsigned int flags) { return flags == 0 ? 0 : 1; }
CUresult cuDriverGetVersion(int *version) { *version = 13000; return 0; }
CUresult cuDeviceGetCount(int *count) { *count = 1; return 0; }
CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? 0 : 101;
}
CUresult cuDeviceGetName(char *name, int length, int device) {
  snprintf(name, (size_t)length, "Fake GPU %d", device);
  return 0;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  *value = attribute == 75 ? 9 : attribute == 76 ? 0 : attribute == 16 ? 132 : 0;
  return 0;
}
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  *context = &context_token;
  return 0;
}
CUresult cuCtxSetCurrent(void *context) {
  if (context != &context_token) return 201;
  current_context = context;
  return 0;
}
CUresult cuCtxSynchronize(void) {
  NEEDS_CONTEXT();
  return 0;
}

CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned int count,
                            int *options, void **values) {
  NEEDS_CONTEXT();
  if (strstr((const char *)image, "INVALID") != NULL) {
    for (unsigned int i = 0; i < count; i++) {
      if (options[i] == 5) {
        strcpy((char *)values[i], "ptxas fatal   : fake error in INVALID");
      }
    }
    return 218;
  }
  snprintf(module_text, sizeof module_text, "%s", (const char *)image);
  *module = module_text;
  return 0;
}
CUresult cuModuleUnload(void *module) { return module == module_text ? 0 : 400; }
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  NEEDS_CONTEXT();
  if (module != module_text || strstr(module_text, name) == NULL) return 500;
  *function = strdup(name);
  return 0;
}

CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t bytes) {
  NEEDS_CONTEXT();
  if (bytes == 0) return 1;
  *pointer = (CUdeviceptr)(uintptr_t)malloc(bytes);
  live_buffers++;
  return 0;
}
CUresult cuMemFree_v2(CUdeviceptr pointer) {
  NEEDS_CONTEXT();
  free((void *)(uintptr_t)pointer);
  live_buffers--;
  return 0;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr device, const void *host, size_t bytes) {
  NEEDS_CONTEXT();
  memcpy((void *)(uintptr_t)device, host, bytes);
  return 0;
}
CUresult cuMemcpyDtoH_v2(void *host, CUdeviceptr device, size_t bytes) {
  NEEDS_CONTEXT();
  memcpy(host, (const void *)(uintptr_t)device, bytes);
  return 0;
}

CUresult cuLaunchKernel(void *function, unsigned int gx, unsigned int gy,
                        unsigned int gz, unsigned int bx, unsigned int by,
                        unsigned int bz, unsigned int shared, void *stream,
                        void **parameters, void **extra) {
  NEEDS_CONTEXT();
  const char *name = (const char *)function;
  size_t used = strlen(launch_log);
  used += (size_t)snprintf(launch_log + used, sizeof launch_log - used,
                           "%s %u %u %u %u %u %u %u", name, gx, gy, gz, bx, by,
                           bz, shared);
  int count = 0;
  unsigned long long bytes = 0;
  int copies = sscanf(name, "fake_copy_%llu", &bytes) == 1;
  /* The parameter count is not passed: the kernel knows it; here the names
   * fake_copy_<N>_<P> say P. */
  const char *arity = strrchr(name, '_');
  if (copies && arity != NULL) count = atoi(arity + 1);
  for (int i = 0; i < count; i++) {
    CUdeviceptr pointer = *(CUdeviceptr *)parameters[i];
    used += (size_t)snprintf(launch_log + used, sizeof launch_log - used, " %llu",
                             pointer);
  }
  snprintf(launch_log + used, sizeof launch_log - used, "\n");
  if (copies && count >= 2) {
    memcpy((void *)(uintptr_t)(*(CUdeviceptr *)parameters[count - 1]),
           (const void *)(uintptr_t)(*(CUdeviceptr *)parameters[0]), bytes);
  }
  return stream == NULL && extra == NULL ? 0 : 1;
}

static const char *names[][2] = {
    {"CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {"CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {"CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {"CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
};
static int index_of(CUresult result) {
  switch (result) {
    case 1: return 0;
    case 218: return 1;
    case 500: return 2;
    case 201: return 3;
    default: return -1;
  }
}
CUresult cuGetErrorName(CUresult result, const char **text) {
  int i = index_of(result);
  if (i < 0) return 1;
  *text = names[i][0];
  return 0;
}
CUresult cuGetErrorString(CUresult result, const char **text) {
  int i = index_of(result);
  if (i < 0) return 1;
  *text = names[i][1];
  return 0;
}

static int events;
CUresult cuEventCreate(void **event, unsigned int flags) {
  *event = &events;
  events++;
  return 0;
}
CUresult cuEventRecord(void *event, void *stream) { return stream == NULL ? 0 : 1; }
CUresult cuEventSynchronize(void *event) { return 0; }
CUresult cuEventElapsedTime_v2(float *milliseconds, void *start, void *end) {
  *milliseconds = 0.25f;
  return 0;
}
CUresult cuEventDestroy_v2(void *event) {
  events--;
  return 0;
}
