// placeholder: filled by the state work of its area
#include <gtest/gtest.h>
