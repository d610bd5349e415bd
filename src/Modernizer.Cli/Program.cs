using Modernizer.Cli;

return await ModernizeApp.RunAsync(args);
