using System.Reflection;

// The version of the real System.Device.Gpio in NuGet package nanoFramework.System.Device.Gpio 1.1.62. nanoCLR binds references by name and
// major.minor, so a facade must carry the same name and at least the same major.minor.
[assembly: AssemblyVersion("1.1.62.0")]
[assembly: AssemblyTitle("System.Device.Gpio (compile-only facade, never deployed)")]
