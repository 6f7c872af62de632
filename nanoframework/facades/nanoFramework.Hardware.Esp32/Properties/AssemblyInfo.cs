using System.Reflection;

// The version of the real nanoFramework.Hardware.Esp32 in NuGet package nanoFramework.Hardware.Esp32 1.6.40. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.6.40.0")]
[assembly: AssemblyTitle("nanoFramework.Hardware.Esp32 (compile-only facade, never deployed)")]
