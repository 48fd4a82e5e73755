"""Emulation registration (đăng ký thi đua): targets and titles a unit commits to."""
