#!/bin/sh
# Regenerates the WAV fixtures of wav.test.ts with sox (an independent writer), all from one signal:
# 1 kHz sine at half scale, 8 kHz, 81 samples (an odd count, so 8-bit and G.711 data chunks need a pad byte).
# Run from this folder: sh make-wav-fixtures.sh
set -eu
SIG="synth 81s sine 1000 vol 0.5"
sox -D -r 8000 -n -c 1 -b 16 -e signed-integer ref-s16.wav $SIG
sox -D -r 8000 -n -c 1 -b 8 -e unsigned-integer u8.wav $SIG
sox -D -r 8000 -n -c 1 -b 24 -e signed-integer s24-extensible.wav $SIG
sox -D -r 8000 -n -c 1 -b 32 -e signed-integer s32.wav $SIG
sox -D -r 8000 -n -c 1 -b 32 -e floating-point f32.wav $SIG
sox -D -r 8000 -n -c 1 -e u-law mulaw.wav $SIG
sox -D -r 8000 -n -c 1 -e a-law alaw.wav $SIG
sox -D -r 16000 -n -c 2 -b 16 -e signed-integer stereo-left-only-16k.wav synth 81s sine 1000 vol 0.5 remix 1 0
sox -D -r 8000 -n -c 1 -e ima-adpcm ima-adpcm.wav $SIG
sox -D -r 8000 -n -c 1 -b 64 -e floating-point f64.wav $SIG
