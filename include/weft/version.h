/* This file holds weft's release and ABI version numbers, shared by the
 * public header, the translator and generated code. */
#ifndef WEFT_VERSION_H
#define WEFT_VERSION_H

#define WEFT_VERSION_MAJOR 0
#define WEFT_VERSION_MINOR 1
#define WEFT_VERSION_PATCH 0
#define WEFT_VERSION_STRING "0.1.0"

/** \brief Version of the translator-to-runtime ABI (include/weft/abi.h).
 * Bumped on every incompatible change; generated code checks it at compile
 * time and the runtime checks it again when the first ABI call arrives. */
#define WEFT_ABI_VERSION 1

#endif
