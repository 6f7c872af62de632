using System.Reflection;

// The version of the real System.Device.Adc in NuGet package nanoFramework.System.Device.Adc 1.1.24. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.1.24.0")]
[assembly: AssemblyTitle("System.Device.Adc (compile-only facade, never deployed)")]
