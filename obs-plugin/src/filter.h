#pragma once

#include <obs-module.h>

extern struct obs_source_info dlf_filter_info;
