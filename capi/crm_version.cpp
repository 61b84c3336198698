// Placeholder translation unit until the C ABI lands (replaced by capi/*.cpp).
extern "C" __attribute__((visibility("default"))) int crm_placeholder_abi(void) { return 0; }
