using System.Reflection;

[assembly: AssemblyTitle("WalkieTalkie.Device")]
[assembly: AssemblyDescription("WalkieTalkie badge firmware for ESP32 on .NET nanoFramework")]
[assembly: AssemblyVersion("0.1.0.0")]
