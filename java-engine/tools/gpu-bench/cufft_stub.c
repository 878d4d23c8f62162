/* Stand-in for libcufft.so.12, ONLY so that ONNX Runtime's CUDA provider can be loaded where the real cuFFT is
 * missing. The provider calls cuFFT only for the FFT operators (Rfft/Irfft), which the benchmark's models do not
 * use. Every call fails with CUFFT_NOT_SUPPORTED (16), except destroy. */
typedef int cufftResult;
typedef int cufftHandle;
cufftResult cufftCreate(cufftHandle *plan) { if (plan) *plan = 0; return 16; }
cufftResult cufftDestroy(cufftHandle plan) { (void) plan; return 0; }
cufftResult cufftSetStream(cufftHandle plan, void *stream) { (void) plan; (void) stream; return 16; }
cufftResult cufftXtMakePlanMany(cufftHandle plan, int rank, long long *n, long long *inembed, long long istride,
        long long idist, int inputtype, long long *onembed, long long ostride, long long odist, int outputtype,
        long long batch, unsigned long *workSize, int executiontype) { return 16; }
cufftResult cufftXtExec(cufftHandle plan, void *input, void *output, int direction) { return 16; }
