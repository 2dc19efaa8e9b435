// Native window for development: GLFW + OpenGL 3 around the same App::Frame()
// the browser calls, so the UI can be run and debugged without a browser.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>
#include <string>
#include <vector>

#include "native/platform_native.hpp"
#include "ui/app.hpp"

namespace {

void onDrop(GLFWwindow*, int count, const char** paths) {
    std::vector<std::string> list(paths, paths + count);
    planner::platform::native::deliverDrop(list);
}

}  // namespace

int main() {
    if (!glfwInit()) {
        std::fprintf(stderr, "planner-gui: could not initialise GLFW (is a display available?)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 2);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    GLFWwindow* window = glfwCreateWindow(1440, 900, "Change Planner", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "planner-gui: could not open an OpenGL 3.2 window\n");
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    glfwSetDropCallback(window, onDrop);
    ImGui_ImplOpenGL3_Init("#version 150");
    float xs = 1, ys = 1;
    glfwGetWindowContentScale(window, &xs, &ys);
    planner::platform::native::setContentScale(xs);
    planner::ui::App app;
    app.buildFonts(xs);
    while (!glfwWindowShouldClose(window)) {
        glfwPollEvents();
        planner::platform::native::pumpEvents();
        glfwGetWindowContentScale(window, &xs, &ys);
        planner::platform::native::setContentScale(xs);
        if (app.fontsNeedRebuild(xs)) {
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            app.buildFonts(xs);
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        app.Frame();
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        glViewport(0, 0, w, h);
        const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
