//! Build script: on Windows, gives `naam-enrich.exe` its icon and a version resource, so
//! Explorer, the taskbar and the installer show the app's name, icon and version.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=packaging/icons/icon.ico");
    #[cfg(windows)]
    windows_resources();
}

#[cfg(windows)]
fn windows_resources() {
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon("packaging/icons/icon.ico")
        .set("ProductName", "Naam Enrich")
        .set("FileDescription", "Naam Enrich")
        .set("CompanyName", "Naam")
        .set("LegalCopyright", "Copyright 2026 Naam")
        .set("OriginalFilename", "naam-enrich.exe");
    #[allow(
        clippy::expect_used,
        reason = "a Windows build without its icon and version must fail loudly"
    )]
    resource
        .compile()
        .expect("the Windows icon and version resource could not be compiled");
}
