using System.Reflection;

// The version of the real System.Device.I2s in NuGet package nanoFramework.System.Device.I2s 1.0.28. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.0.28.0")]
[assembly: AssemblyTitle("System.Device.I2s (compile-only facade, never deployed)")]
