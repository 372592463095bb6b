/* batch — see batch.h. (Filled in by the batch work.) */
#include "batch.h"

int batch_run(const batch_context *ctx, hr_error *err)
{
    (void)ctx;
    return hr_fail(err, "--batch is not available yet");
}
